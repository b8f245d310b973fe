/* uobjnew: object allocations of a language runtime by type, or C's malloc by size, counted in
 * the kernel, as BCC's uobjnew; cobjnew, javaobjnew, rubyobjnew and tclobjnew are its aliases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/family/rt.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "uobjnew.skel.h"
#include "uobjnew.h"

BCCT_SKELETON(uobjnew_bpf);

static struct {
	const char *language;
	long top_count, top_size;
	const struct rt_lang *lang;
	bool zero_size_told;            /* the language's zero_size_why, once a run */
} o;

#define UOBJNEW_OPTS(...)                                                                    \
	__VA_ARGS__                                                                                  \
	RT_OPT_PID,                           \
	STD_INTERVAL,                                                                             \
	OPT_INT_('C', "top-count", &o.top_count, "TOP_COUNT", "number of most frequently allocated types to print", 1, INT_MAX), \
	OPT_INT_('S', "top-size", &o.top_size, "TOP_SIZE", "number of largest types by allocated bytes to print", 1, INT_MAX), \
	STD_FILTERS,                                                                              \
	STD_EBPF,                                                                                 \
	OPT_END_

static const struct bcct_opt opts[] = {
	UOBJNEW_OPTS(OPT_STR_('l', "language", &o.language, "LANGUAGE",
			      "language to trace: c, java, ruby, tcl"),)
};
static const struct bcct_opt wrapper_opts[] = { UOBJNEW_OPTS() };

struct row {
	struct uobjnew_key key;
	struct uobjnew_val val __attribute__((aligned(8)));
};

/* BCC: ascending by allocations with -C, else by bytes; -C/-S keep the last N. */
static int by_order(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	unsigned long long vx = o.top_count ? x->val.num_allocs : x->val.total_size;
	unsigned long long vy = o.top_count ? y->val.num_allocs : y->val.total_size;

	return vx < vy ? -1 : vx > vy;
}

static int print(void *ctx, bool final)
{
	struct uobjnew_bpf *skel = ctx;
	struct bcct_entries e;
	size_t first = 0;
	long top = o.top_count ? o.top_count : o.top_size;
	unsigned long long zero_size = 0;
	const char *why = NULL;

	if (bcct_map_collect(skel->maps.allocs, &e) < 0)
		return -1;
	bcct_entries_sort(&e, by_order);
	if (top && (size_t)top < e.n)
		first = e.n - top;
	out_text("\n");
	out_header("%-30s %8s %12s", "NAME/TYPE", "# ALLOCS", "# BYTES");
	out_list("rows");
	for (size_t i = first; i < e.n; i++) {
		const struct row *r = bcct_entry_key(&e, i);
		const struct rt_alloc_probe *a = r->key.index < RT_MAX_ALLOC ? &o.lang->alloc[r->key.index] : NULL;
		char name[64];

		out_begin();
		if (a && a->uprobe) {
			snprintf(name, sizeof(name), "block size %llu", r->key.size);
			if (env.json)
				out_uint("block_size", "", r->key.size);
			else
				out_str("type", "%-30s", name);
		} else {
			snprintf(name, sizeof(name), "%.*s", UOBJNEW_NAME_LEN,
				 a && a->fixed_clazz ? a->fixed_clazz : r->key.name);
			out_str("type", "%-30s", name);
		}
		out_uint("allocs", "%8llu", r->val.num_allocs);
		out_uint("bytes", "%12llu", r->val.total_size);
		out_end();
	}
	/* Every type's, printed or cut by -C/-S. */
	for (size_t i = 0; i < e.n; i++) {
		const struct row *r = bcct_entry_key(&e, i);

		if (r->key.index < RT_MAX_ALLOC && o.lang->alloc[r->key.index].zero_size_why) {
			zero_size += r->val.zero_size_allocs;
			why = o.lang->alloc[r->key.index].zero_size_why;
		}
	}
	if (zero_size && !o.zero_size_told) {
		bcct_warn("%llu allocations had size 0: %s", zero_size, why);
		o.zero_size_told = true;
	}
	bcct_entries_free(&e);
	bcct_map_clear(skel->maps.allocs);
	return 0;
}

static int attach(void *ctx)
{
	struct uobjnew_bpf *skel = ctx;

	for (int i = 0; i < RT_MAX_ALLOC && o.lang->alloc[i].probe; i++) {
		const struct rt_alloc_probe *a = &o.lang->alloc[i];
		unsigned long long cookie = RT_COOKIE_SET(RT_CK_CLASS, a->clazz.ptr) |
					    RT_COOKIE_SET(RT_CK_CLASS_LEN, a->clazz.len) |
					    RT_COOKIE_SET(UOBJNEW_CK_SIZE, a->size_arg) |
					    RT_COOKIE_SET(UOBJNEW_CK_INDEX, i);
		struct sys_library lib;
		int err;

		if (!a->uprobe) {
			if (rt_attach(skel->progs.alloc_usdt, env.pid, o.lang, a->probe, cookie, true))
				return BCCT_EXIT_FAIL;
			continue;
		}
		/* c: malloc in the C library as the process sees it */
		if (sys_library_open(&lib, env.pid, "c", false)) {
			bcct_err("no C library in process %ld", env.pid);
			return BCCT_EXIT_FAIL;
		}
		err = bcct_attach_uprobe(skel->progs.malloc_uprobe, false, env.pid, lib.attach, a->probe, 0);
		if (err)
			bcct_err("cannot attach to %s in %s: %s", a->probe, lib.shown, strerror(-err));
		sys_library_close(&lib);
		if (err)
			return BCCT_EXIT_FAIL;
	}
	return 0;
}

static void start(void *ctx)
{
	out_text("Tracing allocations in process %ld (language: %s)... Ctrl-C to quit.\n", env.pid,
		 o.lang->name);
}

static int run(void)
{
	int err = rt_engine_target(o.language, RT_NEED_ALLOC, false, &o.lang);

	if (err)
		return err;
	return bcct_run(&(struct bcct_run){
		.attach = attach,
		.on_start = start,
		.on_interval = print,
	});
}

#define OBJNEW_ALIAS(lang, what)                                                                 \
	{ #lang "objnew", "Summarize " what " allocations in " #lang " (uobjnew -l " #lang ")",      \
	  { "-l", #lang }, .opts = wrapper_opts,                                                    \
	  .examples = "    " #lang "objnew 145         # summarize allocations in process 145\n"      \
		      "    " #lang "objnew 145 1 -C 10 # top 10 types by count, every second\n" }

BCCT_APPLET(uobjnew,
	.category = "language runtime",
	.summary = "Summarize object allocations in high-level languages",
	.examples =
	"    uobjnew -l java 145         # summarize Java allocations in process 145\n"
	"    uobjnew -l c 2020 1         # grab malloc() sizes and print every second\n"
	"    uobjnew -l ruby 6712 -C 10  # top 10 Ruby types by number of allocations\n"
	"    uobjnew -l ruby 6712 -S 10  # top 10 Ruby types by total size\n",
	.opts = opts,
	.skeleton = &uobjnew_bpf__skeleton,
	.run = run,
	.aliases = (const struct bcct_alias[]){
		OBJNEW_ALIAS(c, "malloc"),
		OBJNEW_ALIAS(java, "object"),
		OBJNEW_ALIAS(ruby, "object"),
		OBJNEW_ALIAS(tcl, "object"),
		{ NULL },
	});
