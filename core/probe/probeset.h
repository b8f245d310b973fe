/* The probes of trace and argdist: one spec each, parsed by the probe compiler (core/probe),
 * resolved to attach sites (tracepoint, kernel function, user function offsets, USDT sites with
 * their argument specs and semaphores), compiled, loaded and attached as raw BPF links that core's
 * loop owns (bcct_track_fd). A USDT probe whose sites pass arguments differently gets one program
 * per site; argdist's programs of one probe then share one counts/histogram map. */
#ifndef BCCT_PROBE_PROBESET_H
#define BCCT_PROBE_PROBESET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/probe/probe.h"
#include "core/probe/probespec.h"
#include "symbolize/usdt.h"

#define PPROBE_SITE_MAX_ARGS 12

struct pprobe_site {
	uint64_t offset;            /* uprobe/USDT: file offset; kprobe: offset into the function */
	uint64_t semaphore;         /* USDT semaphore file offset, 0 when none */
	struct bcct_usdt_arg args[PPROBE_SITE_MAX_ARGS];
	int nargs;
	int prog;                   /* index into progs */
};

struct pprobe {
	const char *text;
	struct probe_spec *spec;
	struct ps_spec ps;   /* kind, path, pattern as core/probespec resolves them */
	struct pprobe_site *sites;
	size_t nsites;
	struct probe_program **progs;
	size_t nprogs;
};

/* Parses text (trace or argdist syntax), resolves its sites (pid: -p, for library lookup and
 * attach). Errors print with a caret. Returns 0 or an exit status (2: the spec is wrong, 1: the
 * kernel or the target cannot do it). */
int pprobe_init(struct pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		     pid_t pid);
/* Compiles the programs (o->usdt_args are filled per site). Returns 0 or an exit status. */
int pprobe_compile(struct pprobe *pp, const struct probe_compile_opts *o);
/* pprobe_init, then pprobe_compile as probe number id (co->probe_id), and with -vv the
 * program listing on stderr: what trace and argdist do for each spec. Returns 0 or an exit status;
 * pp needs pprobe_free whatever this returns. */
int pprobe_build(struct pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		      pid_t pid, struct probe_compile_opts *co, uint32_t id);
/* Loads and attaches every site; links go to core (bcct_track_fd). Returns 0 or an exit status
 * after printing why. */
int pprobe_attach(struct pprobe *pp, const struct probe_load_opts *lo, pid_t pid);
/* Events lost by this probe's programs (full buffer). */
unsigned long long pprobe_lost(const struct pprobe *pp);
void pprobe_free(struct pprobe *pp);
/* "APPLET: probe "SPEC": message", a caret under the offending part, the verifier's lines. */
void pprobe_diag_print(const char *spec, struct probe_diag *d);
/* pprobe_free on pp[0 .. *n), then *n = 0. */
void pprobes_free(struct pprobe *pp, int *n);
#endif
