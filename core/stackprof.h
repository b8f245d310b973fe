/* The stacks a stack tool printed, kept for the files it writes besides its text: --pprof FILE
 * (gzip-compressed profile.proto, core/pprof.c) and --svg FILE (a flame graph,
 * core/flamegraph.c). core/stacks feeds it every stack it resolves for printing, so profile,
 * offcputime and stackcount write what they print, by the same symbolization, and no applet
 * keeps a copy of its own. Values are summed over the whole run (interval output clears the
 * maps, not this); the files are rewritten after every printed interval, so a long run leaves a
 * usable file at each one, and the last one holds everything.
 *
 * Bounded: at most STACKPROF_MAX_SAMPLES distinct stacks and STACKPROF_MAX_FRAMES distinct
 * frames; what does not fit is counted and reported when the files are written. */
#ifndef BCCT_STACKPROF_H
#define BCCT_STACKPROF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STACKPROF_MAX_SAMPLES (1u << 20)
#define STACKPROF_MAX_FRAMES (1u << 21)

/* --pprof FILE and --svg FILE, offered by STD_STACK_EXPORT_OPTS. */
struct bcct_stack_export {
	const char *pprof;
	const char *svg;
};
extern _Thread_local struct bcct_stack_export bcct_stack_export;
extern struct bcct_stack_export bcct_stack_export_layout;
#define STD_STACK_EXPORT_OPTS \
	OPT_STR_(0, "pprof", OPT_DEST(bcct_stack_export, pprof), "FILE", \
		 "also write the stacks as a gzip-compressed pprof profile (go tool pprof, Pyroscope, Parca)"), \
	OPT_STR_(0, "svg", OPT_DEST(bcct_stack_export, svg), "FILE", \
		 "also write the stacks as an SVG flame graph (search and zoom in a browser)")

/* What a stack's value measures, as pprof names it: value * scale is in unit. */
struct stackprof_value {
	const char *type;       /* "samples", "cpu", "off_cpu", "count" */
	const char *unit;       /* "count", "nanoseconds" */
	uint64_t scale;
};

/* How the applet's values are described; the first is the raw value. */
struct stackprof_desc {
	struct stackprof_value values[2];   /* values[1].type NULL: one value only */
	const char *count_name;             /* flame graph titles: "samples", "us", "counts" */
	const char *title;                  /* flame graph title: "CPU Flame Graph" */
};

enum stackprof_kind { STACKPROF_KERNEL, STACKPROF_USER, STACKPROF_JIT, STACKPROF_PROCESS };

/* One frame as printed, with where it came from. Strings are copied. */
struct stackprof_frame {
	const char *name;
	const char *module;     /* mapped file, "[kernel.kallsyms]", a kernel module; NULL unknown */
	const char *build_id;   /* hex, NULL none */
	uint64_t addr;
	enum stackprof_kind kind;
};

/* A frame table and a sample table; pprof and the flame graph read them. */
struct stackprof;

/* Whether any file was asked for (then stacks are recorded). */
bool stackprof_wanted(void);
/* The run's profile, made on first use with desc (NULL when memory runs out). */
struct stackprof *stackprof_get(const struct stackprof_desc *desc);
/* Adds value to the stack frames[0..n) (innermost first) of comm/pid (pid < 0: none). */
void stackprof_add(struct stackprof *p, const char *comm, int pid,
		   const struct stackprof_frame *frames, int n, uint64_t value);
/* Writes every file asked for; one line on stderr and -1 when one cannot be written. */
int stackprof_write(struct stackprof *p);
/* Checks the files can be created, before tracing starts: one line and -1 otherwise. */
int stackprof_check_files(void);
void stackprof_free(void);

/* ---- read access for the writers ---- */
size_t stackprof_nstrings(const struct stackprof *p);
const char *stackprof_string(const struct stackprof *p, uint32_t idx);
/* Interns s (string index; 0 is ""). UINT32_MAX when memory runs out. */
uint32_t stackprof_intern(struct stackprof *p, const char *s);
struct stackprof_frame_rec {
	uint32_t name, module, build_id;        /* string indexes; 0: none */
	uint64_t addr;
	enum stackprof_kind kind;
};
struct stackprof_sample_rec {
	uint32_t comm;
	int pid;
	int n;
	const uint32_t *frames;                 /* frame indexes, innermost first */
	uint64_t value;
};
size_t stackprof_nframes(const struct stackprof *p);
const struct stackprof_frame_rec *stackprof_frame_at(const struct stackprof *p, size_t i);
size_t stackprof_nsamples(const struct stackprof *p);
const struct stackprof_sample_rec *stackprof_sample_at(const struct stackprof *p, size_t i);
const struct stackprof_desc *stackprof_desc(const struct stackprof *p);
uint64_t stackprof_start_ns(const struct stackprof *p);     /* CLOCK_REALTIME when made */

/* The writers: 0, or -1 with errno. */
int pprof_write(struct stackprof *p, const char *path);
int flamegraph_write(struct stackprof *p, const char *path);
#endif
