/* Probe selection (core/select.c) against stubbed kernels: which candidate each logical probe
 * gets when fentry, kprobes or raw_tp are absent, when a chosen program fails to load (core
 * excludes it and plans again), when the applet turned a probe off, and for optional probes.
 * And, as root, the one thing core learns from libbpf's words: which program failed to load
 * (core/log.c reads it from libbpf's message), with a program the verifier refuses
 * (tests/bpf/attach_probe.bpf.c's fallback_btf). tests/live/core_attach.sh runs the whole
 * fallback on the kernel. */
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "bcct.h"                 /* struct bcct_filter, in the skeleton's .rodata */
#include "attach_probe.skel.h"
#include "core/run.h"
#include "core/select.h"
#include "check.h"

/* The stubbed kernel: kinds it lacks, and one tracepoint target it does not have. */
static bool absent[KIND_PERF_EVENT + 1];
static const char *missing_target;

static bool stub_usable(enum bcct_kind k, const char *target, const char **why)
{
	if (absent[k]) {
		*why = "absent (stub)";
		return false;
	}
	if (missing_target && !strcmp(target, missing_target)) {
		*why = "no such target (stub)";
		return false;
	}
	return true;
}

static void kernel(bool fentry, bool kprobe, bool raw_tp, bool tp_btf, bool tracepoint)
{
	memset(absent, 0, sizeof(absent));
	absent[KIND_FENTRY] = absent[KIND_FEXIT] = !fentry;
	absent[KIND_KPROBE] = absent[KIND_KRETPROBE] = !kprobe;
	absent[KIND_RAW_TP] = !raw_tp;
	absent[KIND_TP_BTF] = !tp_btf;
	absent[KIND_TRACEPOINT] = !tracepoint;
	missing_target = NULL;
}

/* Listed worst first on purpose: the order of preference is core's, not the object's. */
static struct sel_prog progs[] = {
	{ "nanosleep_tp", "tracepoint/syscalls/sys_enter_clock_nanosleep", true },
	{ "nanosleep_kprobe", "kprobe/hrtimer_nanosleep", true },
	{ "nanosleep_fentry", "fentry/hrtimer_nanosleep", true },
	{ "sched_switch_tp", "tracepoint/sched/sched_switch", true },
	{ "sched_switch_btf", "tp_btf/sched_switch", true },
	{ "sched_switch_raw", "raw_tp/sched_switch", true },
	{ "open_enter_tp", "tracepoint/syscalls/sys_enter_open", true },
	{ "count_probe", "uprobe", true },           /* run-time target: the applet's */
	{ "entry_fentry", "fentry", true },          /* run-time target: the applet's */
	{ "profile_sample", "perf_event", true },
};
#define NPROGS ((int)(sizeof(progs) / sizeof(progs[0])))

static const char *const optional[] = { "open_enter", NULL };

static const struct sel_probe *probe(const struct sel_plan *plan, const char *name)
{
	for (int i = 0; i < plan->nprobes; i++)
		if (!strcmp(plan->probes[i].name, name))
			return &plan->probes[i];
	return NULL;
}

/* The chosen program's name for probe `name`, "" for none. */
static const char *chosen(const struct sel_plan *plan, const char *name)
{
	const struct sel_probe *p = probe(plan, name);

	return p && p->chosen >= 0 ? progs[p->chosen].name : "";
}

static void reset(void)
{
	for (int i = 0; i < NPROGS; i++)
		progs[i].enabled = true, progs[i].excluded = false;
}

static void test_grouping(void)
{
	struct sel_plan plan;

	reset();
	kernel(true, true, true, true, true);
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0, "a full kernel runs everything");
	CHECK(plan.nprobes == 4, "4 probes (nanosleep, sched_switch, open_enter, profile_sample), got %d",
	      plan.nprobes);
	CHECK(!probe(&plan, "count_probe") && !probe(&plan, "entry") && !probe(&plan, "count"),
	      "run-time targets are not probes");
	CHECK(probe(&plan, "nanosleep") && probe(&plan, "nanosleep")->ncand == 3, "nanosleep has 3 candidates");
	CHECK(!strcmp(chosen(&plan, "nanosleep"), "nanosleep_fentry"), "fentry first, got %s",
	      chosen(&plan, "nanosleep"));
	CHECK(!strcmp(chosen(&plan, "sched_switch"), "sched_switch_raw"), "raw_tp before tp_btf, got %s",
	      chosen(&plan, "sched_switch"));
	CHECK(!strcmp(chosen(&plan, "profile_sample"), "profile_sample"), "perf_event is a probe");
	CHECK(progs[2].chosen && !progs[0].chosen && !progs[1].chosen, "only the chosen one is marked");
	CHECK(sel_variant_suffix("sched_switch_raw") == 4 && sel_variant_suffix("x_fentry") == 7 &&
	      sel_variant_suffix("profile_sample") == 0 && sel_variant_suffix("_tp") == 0 &&
	      sel_variant_suffix("access_kprobe2") == 8 && sel_variant_suffix("_kprobe2") == 0 &&
	      sel_variant_suffix("ext4") == 0,
	      "variant suffixes");
}

/* Two kprobe candidates of one probe for a renamed function: the first one the kernel has. */
static const char *renamed_chosen(const struct sel_prog *p, const struct sel_plan *plan)
{
	const struct sel_probe *pr = probe(plan, "access");

	return pr && pr->chosen >= 0 ? p[pr->chosen].name : "";
}

static void test_renamed_function(void)
{
	struct sel_prog renamed[] = {
		{ "access_raw", "raw_tp/mm_filemap_get_pages", true },
		{ "access_kprobe", "kprobe/folio_mark_accessed", true },
		{ "access_kprobe2", "kprobe/mark_page_accessed", true },
	};
	struct sel_plan plan;

	kernel(false, true, true, true, true);
	sel_plan(renamed, 3, NULL, stub_usable, &plan);
	CHECK(probe(&plan, "access") && probe(&plan, "access")->ncand == 3, "one probe, 3 candidates");
	CHECK(!strcmp(renamed_chosen(renamed, &plan), "access_kprobe"), "the first name, got %s",
	      renamed_chosen(renamed, &plan));
	missing_target = "folio_mark_accessed";   /* an older kernel */
	for (int i = 0; i < 3; i++)
		renamed[i].chosen = false;
	sel_plan(renamed, 3, NULL, stub_usable, &plan);
	CHECK(!strcmp(renamed_chosen(renamed, &plan), "access_kprobe2"), "the older name, got %s",
	      renamed_chosen(renamed, &plan));
	kernel(false, false, true, true, true);
	for (int i = 0; i < 3; i++)
		renamed[i].chosen = false;
	sel_plan(renamed, 3, NULL, stub_usable, &plan);
	CHECK(!strcmp(renamed_chosen(renamed, &plan), "access_raw"), "no kprobes: raw_tp, got %s",
	      renamed_chosen(renamed, &plan));
}

static void test_fallbacks(void)
{
	struct sel_plan plan;

	reset();
	kernel(false, true, true, true, true);   /* fentry refused (this host's 6.18) */
	sel_plan(progs, NPROGS, optional, stub_usable, &plan);
	CHECK(!strcmp(chosen(&plan, "nanosleep"), "nanosleep_kprobe"), "no fentry: kprobe, got %s",
	      chosen(&plan, "nanosleep"));

	kernel(false, false, true, true, true);  /* no kprobes either */
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0, "tracepoints suffice");
	CHECK(!strcmp(chosen(&plan, "nanosleep"), "nanosleep_tp"), "no kprobes: tracepoint, got %s",
	      chosen(&plan, "nanosleep"));

	kernel(true, true, false, true, true);   /* no raw_tp */
	sel_plan(progs, NPROGS, optional, stub_usable, &plan);
	CHECK(!strcmp(chosen(&plan, "sched_switch"), "sched_switch_btf"), "no raw_tp: tp_btf, got %s",
	      chosen(&plan, "sched_switch"));

	kernel(true, true, false, false, true);  /* neither raw_tp nor tp_btf: 4.x kernels */
	sel_plan(progs, NPROGS, optional, stub_usable, &plan);
	CHECK(!strcmp(chosen(&plan, "sched_switch"), "sched_switch_tp"), "then the tracepoint, got %s",
	      chosen(&plan, "sched_switch"));

	kernel(false, false, false, false, false);
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == -1, "nothing works: an error");
	CHECK(probe(&plan, "sched_switch")->chosen == -1, "no candidate chosen");
	CHECK(strstr(probe(&plan, "sched_switch")->why, "raw_tp sched_switch: absent (stub)") &&
	      strstr(probe(&plan, "sched_switch")->why, "tp_btf sched_switch") &&
	      strstr(probe(&plan, "sched_switch")->why, "tracepoint sched/sched_switch"),
	      "the reason names every candidate: %s", probe(&plan, "sched_switch")->why);
	CHECK(probe(&plan, "open_enter")->chosen == -1, "the optional probe has none either");
}

/* Core's answer to a failed load: exclude the chosen program and plan again. */
static void test_failed_load(void)
{
	struct sel_plan plan;
	int rounds = 0;

	reset();
	kernel(true, true, true, true, true);
	sel_plan(progs, NPROGS, optional, stub_usable, &plan);
	progs[5].excluded = true;                /* sched_switch_raw failed to load */
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0, "a later candidate remains");
	CHECK(!strcmp(chosen(&plan, "sched_switch"), "sched_switch_btf"), "falls back to tp_btf, got %s",
	      chosen(&plan, "sched_switch"));
	CHECK(!strcmp(chosen(&plan, "nanosleep"), "nanosleep_fentry"), "other probes keep their choice");
	/* Every candidate failing ends in an error, after one round per candidate. */
	while (sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0 && rounds++ < 10)
		progs[probe(&plan, "sched_switch")->chosen].excluded = true;
	CHECK(rounds == 2, "two more rounds (tp_btf, tracepoint), then none: %d", rounds);
	CHECK(strstr(probe(&plan, "sched_switch")->why, "failed to load"), "the reason says so: %s",
	      probe(&plan, "sched_switch")->why);
}

static void test_options(void)
{
	struct sel_plan plan;

	reset();
	kernel(true, true, true, true, true);
	missing_target = "syscalls/sys_enter_open";   /* arm64 has no open(2) */
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0, "an optional probe may be absent");
	CHECK(probe(&plan, "open_enter")->chosen == -1 && probe(&plan, "open_enter")->needed,
	      "needed but skipped");
	CHECK(sel_plan(progs, NPROGS, NULL, stub_usable, &plan) == -1, "not optional: an error");

	/* The applet turned every candidate of a probe off: not needed, not an error. */
	missing_target = NULL;
	for (int i = 3; i <= 5; i++)
		progs[i].enabled = false;
	kernel(true, true, false, false, false);  /* sched_switch could not run anyway */
	CHECK(sel_plan(progs, NPROGS, optional, stub_usable, &plan) == 0, "a probe turned off is no error");
	CHECK(!probe(&plan, "sched_switch")->needed && probe(&plan, "sched_switch")->chosen == -1,
	      "and nothing is chosen for it");

	/* One candidate off (the applet's options rule tp_btf out): the others still compete. */
	reset();
	kernel(true, true, false, true, true);
	progs[4].enabled = false;
	sel_plan(progs, NPROGS, optional, stub_usable, &plan);
	CHECK(!strcmp(chosen(&plan, "sched_switch"), "sched_switch_tp"), "skips the disabled tp_btf, got %s",
	      chosen(&plan, "sched_switch"));
}

/* A whole (`sys_enter_raw`, one program dispatching on the syscall number) covers its parts
 * (`sys_enter__openat_tp`, ...) when usable; otherwise it is skipped and the parts chosen. */
static void test_parts(void)
{
	struct sel_prog sys[] = {
		{ "sys_enter__openat_tp", "tracepoint/syscalls/sys_enter_openat", true },
		{ "sys_enter_raw", "raw_tp/sys_enter", true },
		{ "sys_enter__open_tp", "tracepoint/syscalls/sys_enter_open", true },
		{ "other__x_tp", "tracepoint/syscalls/sys_enter_read", true },   /* no whole `other` */
	};
	const char *const opt[] = { "sys_enter__open", NULL };
	struct sel_plan plan;

	kernel(true, true, true, true, true);
	CHECK(sel_plan(sys, 4, opt, stub_usable, &plan) == 0, "the whole plans");
	CHECK(sys[1].chosen && !sys[0].chosen && !sys[2].chosen, "the whole is chosen, not its parts");
	CHECK(probe(&plan, "sys_enter__openat")->covered && !probe(&plan, "sys_enter__openat")->needed,
	      "a part is covered by its whole");
	CHECK(sys[3].chosen && !probe(&plan, "other__x")->covered, "a name without its whole is a probe");

	kernel(true, true, false, true, true);   /* no raw_tp: the per-syscall tracepoints */
	CHECK(sel_plan(sys, 4, opt, stub_usable, &plan) == 0, "no raw_tp: no error");
	CHECK(!sys[1].chosen && sys[0].chosen && sys[2].chosen, "each part chosen");
	CHECK(probe(&plan, "sys_enter")->optional, "the whole is skipped");

	missing_target = "syscalls/sys_enter_openat";   /* a part not optional and absent */
	CHECK(sel_plan(sys, 4, opt, stub_usable, &plan) == -1, "a needed part still fails the plan");
	missing_target = NULL;

	/* The whole failed to load: excluded, the parts take over. */
	kernel(true, true, true, true, true);
	sys[1].excluded = true;
	CHECK(sel_plan(sys, 4, opt, stub_usable, &plan) == 0 && sys[0].chosen && !sys[1].chosen,
	      "after the whole fails to load, the parts");
}

/* A libbpf whose failed-load message core cannot read would turn fallback off silently. */
static void test_libbpf_wording(void)
{
	struct attach_probe_bpf *skel;
	struct bpf_program *prog;

	if (geteuid() != 0) {
		SKIP("libbpf's failed-load message", "loading BPF needs root");
		return;
	}
	bcct_libbpf_quiet();
	skel = attach_probe_bpf__open();
	CHECK(skel != NULL, "the test object opens");
	if (!skel)
		return;
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == skel->progs.fallback_btf);
	bcct_load_failure_reset();
	CHECK(attach_probe_bpf__load(skel) != 0, "the verifier refuses fallback_btf");
	CHECK(!strcmp(bcct_load_failure(), "fallback_btf"),
	      "core read the failing program from libbpf's message: '%s'", bcct_load_failure());
	attach_probe_bpf__destroy(skel);
}

int main(int argc, char **argv)
{
	check_init(argc, argv);
	test_grouping();
	test_fallbacks();
	test_renamed_function();
	test_failed_load();
	test_options();
	test_parts();
	test_libbpf_wording();
	return check_summary("select");
}
