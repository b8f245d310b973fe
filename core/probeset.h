/* The probes of trace and argdist: one spec each, parsed by the probe compiler (core/probe),
 * resolved to attach sites (tracepoint, kernel function, user function offsets, USDT sites with
 * their argument specs and semaphores), compiled, loaded and attached as raw BPF links that core's
 * loop owns (bcct_track_fd). A USDT probe whose sites pass arguments differently gets one program
 * per site; argdist's programs of one probe then share one counts/histogram map. */
#ifndef BCCT_PROBESET_H
#define BCCT_PROBESET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/probe/probe.h"
#include "core/probespec.h"
#include "symbolize/usdt.h"

#define BCCT_PSITE_MAX_ARGS 12

struct bcct_psite {
	uint64_t offset;            /* uprobe/USDT: file offset; kprobe: offset into the function */
	uint64_t semaphore;         /* USDT semaphore file offset, 0 when none */
	struct bcct_usdt_arg args[BCCT_PSITE_MAX_ARGS];
	int nargs;
	int prog;                   /* index into progs */
};

struct bcct_pprobe {
	const char *text;
	struct probe_spec *spec;
	struct bcct_probespec ps;   /* kind, path, pattern as core/probespec resolves them */
	struct bcct_psite *sites;
	size_t nsites;
	struct probe_program **progs;
	size_t nprogs;
};

/* Parses text (trace or argdist syntax), resolves its sites (pid: -p, for library lookup and
 * attach). Errors print with a caret. Returns 0 or an exit status (2: the spec is wrong, 1: the
 * kernel or the target cannot do it). */
int bcct_pprobe_init(struct bcct_pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		     pid_t pid);
/* Compiles the programs (o->usdt_args are filled per site). Returns 0 or an exit status. */
int bcct_pprobe_compile(struct bcct_pprobe *pp, const struct probe_compile_opts *o);
/* bcct_pprobe_init, then bcct_pprobe_compile as probe number id (co->probe_id), and with -vv the
 * program listing on stderr: what trace and argdist do for each spec. Returns 0 or an exit status;
 * pp needs bcct_pprobe_free whatever this returns. */
int bcct_pprobe_build(struct bcct_pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		      pid_t pid, struct probe_compile_opts *co, uint32_t id);
/* Loads and attaches every site; links go to core (bcct_track_fd). Returns 0 or an exit status
 * after printing why. */
int bcct_pprobe_attach(struct bcct_pprobe *pp, const struct probe_load_opts *lo, pid_t pid);
/* Events lost by this probe's programs (full buffer). */
unsigned long long bcct_pprobe_lost(const struct bcct_pprobe *pp);
void bcct_pprobe_free(struct bcct_pprobe *pp);
/* bcct_pprobe_free on pp[0 .. *n), then *n = 0. */
void bcct_pprobes_free(struct bcct_pprobe *pp, int *n);
#endif
