/* Source file and line of a user address: the DWARF line table (symbolize/dwarf_line.h) of the
 * mapped file itself, else of its separate debug file (.gnu_debuglink, then build-id, as the
 * symbol tables find it). One table per file for the whole run, built on first use and never
 * parsed twice (a file without lines is remembered as such). Thread-safe. */
#ifndef BCCT_SYMBOLIZE_SRCLINE_H
#define BCCT_SYMBOLIZE_SRCLINE_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* module and file_offset as sym_user() returns them (bcct_sym.module, .module_offset) for a
 * frame of process pid (the file is opened through /proc/PID/root first). *file lives for the
 * run. False when the file has no line information covering the address. */
bool sym_srcline(pid_t pid, const char *module, uint64_t file_offset, const char **file,
		 unsigned *line);
#endif
