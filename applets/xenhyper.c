/* xenhyper (BPF Performance Tools, ch. 16): a Xen PV guest's hypercalls by name, counted until
 * Ctrl-C (or per interval). Only a Xen guest has the tracepoint: elsewhere one line says so. */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "xenhyper.skel.h"

BCCT_SKELETON(xenhyper_bpf);

static const struct bcct_opt opts[] = {
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

/* Xen's public ABI, xen/include/public/xen.h (__HYPERVISOR_*): the numbers never change. */
static const char *const hypercalls[] = {
	"set_trap_table", "mmu_update", "set_gdt", "stack_switch", "set_callbacks",
	"fpu_taskswitch", "sched_op_compat", "platform_op", "set_debugreg", "get_debugreg",
	"update_descriptor", NULL, "memory_op", "multicall", "update_va_mapping", "set_timer_op",
	"event_channel_op_compat", "xen_version", "console_io", "physdev_op_compat",
	"grant_table_op", "vm_assist", "update_va_mapping_otherdomain", "iret", "vcpu_op",
	"set_segment_base", "mmuext_op", "xsm_op", "nmi_op", "sched_op", "callback_op",
	"xenoprof_op", "event_channel_op", "physdev_op", "hvm_op", "sysctl", "domctl", "kexec_op",
	"tmem_op", "argo_op", "xenpmu_op", "dm_op", "hypfs_op",
};

static void row(const void *key, unsigned long long count)
{
	unsigned int op = *(const unsigned int *)key;
	char unknown[16];
	const char *name = op < sizeof(hypercalls) / sizeof(hypercalls[0]) ? hypercalls[op] : NULL;

	if (!name) {
		snprintf(unknown, sizeof(unknown), "%u", op);
		name = unknown;
	}
	out_begin();
	out_str("hypercall", "%-24s ", name);
	out_uint("count", "%10llu", count);
	out_end();
}

static int print(void *p, bool final)
{
	struct xenhyper_bpf *skel = p;

	out_interval_begin();
	out_header("%-24s %10s", "HYPERCALL", "COUNT");
	return table_print_counts(skel->maps.counts, row, true);
}

static int run(void)
{
	return bcct_run(&(struct bcct_run){
		.banner = "Counting Xen hypercalls (xen_mc_entry). Ctrl-C to end.",
		.on_interval = print,
	});
}

BCCT_APPLET(xenhyper,
	.category = "hypervisors",
	.summary = "Xen PV guest hypercalls by name (book); needs a Xen guest",
	.examples =
	"    xenhyper           # count hypercalls until Ctrl-C\n"
	"    xenhyper 1 5       # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &xenhyper_bpf__skeleton,
	.run = run);
