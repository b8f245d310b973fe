/* modsnoop: kernel modules being initialized, as the book's modsnoop.bt (kprobe do_init_module):
 * fentry, else kprobe; else the module:module_load tracepoint (raw_tp), which fires a little
 * earlier, once the module is loaded, with the same name and task. A kernel without module
 * support has none of them: refused in one line. */
#include "bcct.bpf.h"
#include "modsnoop.h"

static __always_inline int loaded(void *ctx, struct module *mod)
{
	struct modsnoop_event *e;

	if (!bcct_filter_current())
		return 0;
	e = bcct_event_reserve(sizeof(*e));
	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_core_read_str(e->name, sizeof(e->name), &mod->name);
	bcct_event_submit(ctx, e, sizeof(*e));
	return 0;
}

SEC("fentry/do_init_module")
int BPF_PROG(do_init_module_fentry, struct module *mod)
{
	return loaded(ctx, mod);
}

SEC("kprobe/do_init_module")
int BPF_KPROBE(do_init_module_kprobe, struct module *mod)
{
	return loaded(ctx, mod);
}

SEC("raw_tp/module_load")
int BPF_PROG(do_init_module_raw, struct module *mod)
{
	return loaded(ctx, mod);
}
