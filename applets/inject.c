/* inject: BCC's fault injection (tools/inject.py): make kmalloc, bio or page allocation fail
 * when a call chain and its predicates are met, through bpf_override_return on should_failslab,
 * should_fail_bio or should_fail_alloc_page.
 *
 * The spec is checked in BCC's grammar, then compiled by the probe language (core/probe/chain.c:
 * BCC's per-thread chain state, kprobes and kretprobes on the chain's functions, predicates over
 * each frame's declared parameters, -P and -c) and, with -v, printed as BPF instructions where
 * BCC prints its C. bpf_override_return exists only in kernels built with
 * CONFIG_BPF_KPROBE_OVERRIDE and CONFIG_FUNCTION_ERROR_INJECTION, which no Debian kernel is (the
 * verifier rejects the helper there): on those the run stops with one line naming the lack.
 * So that the chain itself is tested, BCCT_INJECT_DRY_RUN=1 (for tests only) loads the same
 * programs with the override left out and prints at exit how many calls would have failed:
 * tests/live/inject.sh runs it in the VM guests, where kprobes work. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/features.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/run.h"
#include "core/probe/probeset.h"

#define INJECT_MAX_FRAMES 32

static struct {
	const char *mode, *spec;
	struct bcct_list includes;
	double probability;
	int count;
} o = { .probability = 1, .count = -1 };

static int parse_probability(const char *arg, void *dest)
{
	char *end;
	double p = strtod(arg, &end);

	if (end == arg || *end || !(p >= 0 && p <= 1))
		return -1;      /* core says which option and value */
	*(double *)dest = p;
	return 0;
}

static const struct bcct_opt opts[] = {
	POS_STR_("mode", &o.mode, "indicate which base kernel function to fail: kmalloc, bio, alloc_page"),
	POS_STR_("spec", &o.spec, "specify call chain"),
	OPT_LIST_('I', "include", &o.includes, "header",
		  "additional header files (accepted, unused: types come from the kernel's BTF)"),
	OPT_FUNC_('P', "probability", &o.probability, "probability",
		  "probability that this call chain will fail (0 to 1)", parse_probability),
	OPT_INT_('c', "count", &o.count, "count", "Number of fails before bypassing the override",
		 -1, INT_MAX),
	/* BCC's -v prints the program it generated: here as instructions, on stdout */
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose),
		   "print BPF program (instructions), attach methods and libbpf messages"),
	STD_EBPF,
	OPT_END_,
};

/* The base function of each mode, as BCC names it in the spec's last frame, and what its
 * failed calls return. */
static const struct {
	const char *mode, *base;
	long long fail_with;
} modes[] = {
	{ "kmalloc", "should_failslab(struct kmem_cache *s, gfp_t gfpflags)", -ENOMEM },
	{ "bio", "should_fail_bio(struct bio *bio)", -EIO },
	{ "alloc_page", "should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)", true },
};

/* Test-only: the chain's programs without bpf_override_return, counting what would fail. */
#define DRY_RUN_ENV "BCCT_INJECT_DRY_RUN"

static struct probe_chain *chain;
static bool dry_run;

/* One frame of the chain: a function (with its arguments' declarations) and its predicate. */
struct frame {
	char func[256];
	char pred[256];
};

static int copy_part(char *dst, size_t len, const char *from, size_t n)
{
	while (n && (*from == ' ' || *from == '\t'))   /* Python's strip() */
		from++, n--;
	while (n && (from[n - 1] == ' ' || from[n - 1] == '\t'))
		n--;
	if (n >= len) {
		bcct_usage_err("spec: a frame longer than %zu characters", len - 1);
		return -1;
	}
	memcpy(dst, from, n);
	dst[n] = 0;
	return 0;
}

/* BCC's _parse_frames: frames separated by "=>" at parenthesis depth 0, each "func(args)",
 * "func(args)(predicate)" or, for the base function, "(predicate)". */
static int parse_frames(const char *spec, const char *base, struct frame *f, int *nf)
{
	size_t len = strlen(spec), start = 0, last_added = 0;
	char parts[2][256];
	int depth = 0, nparts = 0;

	*nf = 0;
	for (size_t i = 0; i <= len; i++) {
		char c = spec[i];       /* spec[len] is the sentinel NUL */

		depth += c == '(';
		depth -= c == ')';
		if (depth < 0) {
			bcct_usage_err("spec: check your parentheses");
			return -1;
		}
		if (depth)
			continue;
		if (c == 0 || (c == '=' && spec[i + 1] == '>')) {
			if (!nparts) {
				bcct_usage_err("spec: cannot parse spec, missing parens");
				return -1;
			}
			if (*nf == INJECT_MAX_FRAMES) {
				bcct_usage_err("spec: more than %d frames", INJECT_MAX_FRAMES);
				return -1;
			}
			if (nparts == 2) {
				snprintf(f[*nf].func, sizeof(f[*nf].func), "%s", parts[0]);
				snprintf(f[*nf].pred, sizeof(f[*nf].pred), "%s", parts[1]);
			} else if (parts[0][0] == '(') {
				snprintf(f[*nf].func, sizeof(f[*nf].func), "%s", base);
				snprintf(f[*nf].pred, sizeof(f[*nf].pred), "%s", parts[0]);
			} else {
				snprintf(f[*nf].func, sizeof(f[*nf].func), "%s", parts[0]);
				snprintf(f[*nf].pred, sizeof(f[*nf].pred), "(true)");
			}
			(*nf)++;
			nparts = 0;
			i++;
			start = i + 1;
		} else if (c == ')') {
			/* BCC keeps a third part and more without a word; so do we (ignored). */
			if (nparts < 2 && copy_part(parts[nparts++], sizeof(parts[0]), spec + start,
						    i + 1 - start))
				return -1;
			start = i + 1;
			last_added = start;
		}
	}
	for (const char *p = spec + (last_added < len ? last_added : len); *p; p++)
		if (*p != ' ' && *p != '\t') {
			bcct_usage_err("spec: invalid characters found after last frame");
			return -1;
		}
	if (depth) {
		bcct_usage_err("spec: check your parentheses");
		return -1;
	}
	return 0;
}

/* BCC's _validate_identifier: the function's name is a C identifier. */
static bool valid_function(const char *func)
{
	size_t n = strcspn(func, "(");

	if (!n || !(func[0] == '_' || (func[0] >= 'a' && func[0] <= 'z') ||
		    (func[0] >= 'A' && func[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(func[i] == '_' || (func[i] >= 'a' && func[i] <= 'z') ||
		      (func[i] >= 'A' && func[i] <= 'Z') || (func[i] >= '0' && func[i] <= '9')))
			return false;
	return true;
}

static int attach(void *ctx)
{
	struct probe_diag d = { .column = -1 };

	(void)ctx;
	if (probe_chain_load(chain, &d) || probe_chain_attach(chain, bcct_track_fd, &d)) {
		pprobe_diag_print(o.spec, &d);
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

static void print_hits(void *ctx)
{
	unsigned long long hits = probe_chain_hits(chain);

	(void)ctx;
	if (dry_run)
		printf("%s=1: %llu call%s would have failed\n", DRY_RUN_ENV, hits, hits == 1 ? "" : "s");
	else
		bcct_info("failed %llu call%s", hits, hits == 1 ? "" : "s");
}

static int run(void)
{
	struct frame frames[INJECT_MAX_FRAMES];
	struct probe_chain_frame chain_frames[INJECT_MAX_FRAMES + 1];
	struct probe_diag d = { .column = -1 };
	const char *base = NULL, *dry = getenv(DRY_RUN_ENV);
	long long fail_with = 0;
	bool has_base = false;
	int nf, n = 0, ret;

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (o.mode && !strcmp(o.mode, modes[i].mode)) {
			base = modes[i].base;
			fail_with = modes[i].fail_with;
		}
	if (!base) {
		bcct_usage_err("argument mode: invalid choice: '%s' (choose from 'kmalloc', 'bio', "
			       "'alloc_page')", o.mode ? o.mode : "");
		return BCCT_EXIT_USAGE;
	}
	if (!o.spec) {
		bcct_usage_err("the following arguments are required: spec");
		return BCCT_EXIT_USAGE;
	}
	if (parse_frames(o.spec, base, frames, &nf))
		return BCCT_EXIT_USAGE;
	/* BCC's order: the spec's last frame, the outermost caller, is 0; the base function is
	 * last, added when the spec does not name it. */
	for (int i = nf - 1; i >= 0; i--) {
		if (!valid_function(frames[i].func)) {
			bcct_usage_err("spec: invalid function identifier '%s'", frames[i].func);
			return BCCT_EXIT_USAGE;
		}
		has_base |= !strcmp(frames[i].func, base);
		chain_frames[n++] = (struct probe_chain_frame){ frames[i].func, frames[i].pred };
		bcct_info("frame %d: %s if %s", nf - 1 - i, frames[i].func, frames[i].pred);
	}
	if (!has_base) {
		chain_frames[n++] = (struct probe_chain_frame){ base, "(true)" };
		bcct_info("frame %d: %s if (true)", nf, base);
	}
	dry_run = dry && !strcmp(dry, "1");
	chain = probe_chain_compile(chain_frames, n, &(struct probe_chain_opts){
		.action = dry_run ? PROBE_CHAIN_COUNT : PROBE_CHAIN_OVERRIDE,
		.override_value = fail_with, .probability = o.probability, .max_hits = o.count,
	}, &d);
	probe_btf_release();
	if (!chain) {
		pprobe_diag_print(o.spec, &d);
		return BCCT_EXIT_USAGE;
	}
	if (env.verbose || env.ebpf)        /* BCC's -v prints the program it generated */
		probe_chain_dump(chain, stdout);
	ret = bcct_run(&(struct bcct_run){
		.attach = attach,
		.on_exit = print_hits,
		.needs = dry_run ? BCCT_NEEDS(FEAT_KPROBE) | BCCT_NEEDS(FEAT_KRETPROBE) : 0,
	});
	probe_chain_free(chain);
	chain = NULL;
	return ret;
}

BCCT_APPLET(inject,
	.category = "other",
	.summary = "Fail specified kernel functionality when call chain and predicates are met",
	.description =
	"BCC's inject: kmalloc (should_failslab), bio (should_fail_bio) or page allocation\n"
	"(should_fail_alloc_page) made to fail through bpf_override_return when the call chain\n"
	"of the spec and its predicates are met, with -P probability and at most -c failures.\n"
	"Predicates are C expressions over each frame's declared parameters, compiled as trace's;\n"
	"-v prints the generated BPF programs (BCC prints its C). Needs kprobes and\n"
	"bpf_override_return (CONFIG_BPF_KPROBE_OVERRIDE, CONFIG_FUNCTION_ERROR_INJECTION; no\n"
	"Debian kernel has them): without it, one line names the lack. " DRY_RUN_ENV "=1 (tests\n"
	"only) runs the chain without overriding and prints how many calls would have failed.",
	.examples =
	"    inject kmalloc -v 'SyS_mount()'\n"
	"        # Fails all calls to syscall mount\n"
	"    inject kmalloc -v '(true) => SyS_mount()(true)'\n"
	"        # Explicit rewriting of above\n"
	"    inject kmalloc -v 'mount_subtree() => btrfs_mount()'\n"
	"        # Fails btrfs mounts only\n"
	"    inject kmalloc -v 'd_alloc_parallel(struct dentry *parent, const struct qstr *name)(STRCMP(name->name, \"bananas\"))'\n"
	"        # Fails dentry allocations of files named 'bananas'\n"
	"    inject kmalloc -v -P 0.01 'SyS_mount()'\n"
	"        # Fails calls to syscall mount with 1% probability\n",
	.opts = opts,
	.needs = BCCT_NEEDS(FEAT_KPROBE) | BCCT_NEEDS(FEAT_KRETPROBE) |
		 BCCT_NEEDS(FEAT_OVERRIDE_RETURN),
	.run = run);
