/* Where a run prints: its thread's streams when bcct serve gave it some (each applet of a
 * serve runs in a thread whose output goes to pipes the serve reads), else the process's
 * stdout and stderr. CMake includes this header first in every file of bcct (-include), so
 * that every printf, puts, putchar and fprintf(stdout or stderr, ...) of core, symbolize and
 * the applets reaches the run's streams without each caller naming them. */
#ifndef BCCT_THREAD_IO_H
#define BCCT_THREAD_IO_H
#include <stdio.h>

extern _Thread_local FILE *bcct_thread_stdout, *bcct_thread_stderr;

/* A macro is not expanded inside its own definition: the inner names are the C library's. */
#undef stdout
#undef stderr
#define stdout (bcct_thread_stdout ? bcct_thread_stdout : stdout)
#define stderr (bcct_thread_stderr ? bcct_thread_stderr : stderr)
/* The C library's own versions write to its stdout whatever the macros above say. */
#define printf(...) fprintf(stdout, __VA_ARGS__)
#define vprintf(fmt, ap) vfprintf(stdout, fmt, ap)
#define putchar(c) fputc(c, stdout)
#define puts(s) (fputs(s, stdout) == EOF ? EOF : fputc('\n', stdout))
#endif
