/* kvmexits (BPF Performance Tools, ch. 16): on a KVM host, the time the host spends on each
 * guest exit, from kvm:kvm_exit to the vCPU's next kvm:kvm_entry, a histogram in nanoseconds per
 * exit reason. Reasons are named from the tracepoint's own format (its __print_symbolic tables,
 * VMX and SVM), so a new kernel's reasons are named as that kernel names them. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "core/applet.h"
#include "core/hist.h"
#include "core/output.h"
#include "core/probe/probe.h"
#include "core/run.h"
#include "durhist.h"
#include "kvmexits.skel.h"

BCCT_SKELETON(kvmexits_bpf);

#define KVM_ISA_VMX 1
#define KVM_ISA_SVM 2

static struct {
	struct tp_symbol *vmx, *svm;
	size_t nvmx, nsvm;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_FILTERS,
	OPT_END_,
};

static void reason_label(const void *key, char *buf, size_t len)
{
	const struct durhist_key *k = key;
	const char *name = NULL;

	if (k->isa == KVM_ISA_VMX)
		name = tp_symbol_name(o.vmx, o.nvmx, k->what & 0xffff);
	else if (k->isa == KVM_ISA_SVM)
		name = tp_symbol_name(o.svm, o.nsvm, (int)k->what);   /* -1: invalid_guest_state */
	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%llu", k->what);
}

static int print(void *p, bool final)
{
	struct kvmexits_bpf *skel = p;

	out_interval_begin();
	return hist_print_map(skel->maps.hists, &(struct bcct_hist_print){
		.unit = "nsecs", .section = "reason", .label = reason_label, .clear = true });
}

static int run(void)
{
	int err;

	/* The kvm tracepoints exist wherever the module is loaded; exits happen only with guests,
	 * which need /dev/kvm. */
	if (access("/dev/kvm", F_OK)) {
		bcct_err("not a KVM host: /dev/kvm is absent (no kvm module or no virtualization "
			 "support)");
		return 1;
	}
	tp_symbolic("kvm", "kvm_exit", "REC->exit_reason & 0xffff", &o.vmx, &o.nvmx);
	tp_symbolic("kvm", "kvm_exit", "REC->exit_reason", &o.svm, &o.nsvm);
	err = bcct_run(&(struct bcct_run){
		.banner = "Tracing KVM exits. Hit Ctrl-C to end.",
		.on_interval = print,
	});
	free(o.vmx);
	free(o.svm);
	return err;
}

BCCT_APPLET(kvmexits,
	.category = "hypervisors",
	.summary = "KVM guest exit handling time by exit reason, on the host (book)",
	.examples =
	"    kvmexits           # histograms by exit reason until Ctrl-C\n"
	"    kvmexits -p 181    # the vCPU threads of QEMU PID 181 only\n"
	"    kvmexits 1 5       # print every second, 5 times\n",
	.opts = opts,
	.skeleton = &kvmexits_bpf__skeleton,
	.run = run);
