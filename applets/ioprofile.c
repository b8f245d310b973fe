/* ioprofile (BPF Performance Tools, ch. 13): which code paths do I/O, as the user stacks that
 * enter read, write, send and recv syscalls, counted by process, syscall and stack; printed at
 * Ctrl-C (or every interval), fewest first as BCC's stack tools. Each stack is the syscall's
 * name in brackets, the user frames innermost first, then "-  comm (pid)" and the count:
 *
 *     [read]
 *     __GI___libc_read
 *     main
 *     -                cat (1234)
 *         12
 */
#include <stdio.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "ioprofile.h"
#include "ioprofile.skel.h"

BCCT_SKELETON(ioprofile_bpf);

static struct {
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	STD_INTERVAL,
	STD_COUNT,
	STD_STACK_OPTS,
	STD_FILTERS,
	OPT_END_,
};

/* The data-moving calls among the book's *read*, *write*, *send*, *recv* tracepoints (its glob
 * also caught readlink, readahead and process_vm_readv, which move no file or socket data). */
static const char *const io_calls[] = {
	"read", "pread64", "readv", "preadv", "preadv2", "write", "pwrite64", "writev", "pwritev",
	"pwritev2", "sendto", "sendmsg", "sendmmsg", "sendfile", "sendfile64", "recvfrom", "recvmsg",
	"recvmmsg",
};

static void print_entry(struct bcct_stacks *s, const void *key, uint64_t value)
{
	const struct ioprofile_key *k = key;
	const char *syscall = sys_syscall_name(k->nr);
	const char *const *names;
	char nr[24];
	int n = bcct_stack_side(s, k->user_stack_id, true, k->pid, &names);

	if (!syscall) {
		snprintf(nr, sizeof(nr), "syscall %d", k->nr);
		syscall = nr;
	}
	if (env.json) {
		json_begin_object(NULL);
		json_str("comm", k->comm);
		json_uint("pid", k->pid);
		json_str("syscall", syscall);
		json_uint("count", value);
		json_str_array("user_stack", names, n > 0 ? n : 0);
		if (n < 0)
			json_bool("user_stack_missed", true);
		json_end_object();
		return;
	}
	printf("    [%s]\n", syscall);
	if (n < 0)
		printf("    %s\n", bcct_stack_missed_text(true));
	for (int i = 0; i < n; i++)
		printf("    %s\n", names[i]);
	printf("    %-16s %s (%u)\n        %llu\n\n", "-", k->comm, k->pid, (unsigned long long)value);
}

static int print(void *p, bool final)
{
	struct ioprofile_bpf *skel = p;

	out_interval_begin();
	return bcct_stacks_print_entries(o.stacks, skel->maps.counts, print_entry, true) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct ioprofile_bpf *skel = p;

	for (size_t i = 0; i < sizeof(io_calls) / sizeof(io_calls[0]); i++) {
		long nr = sys_syscall_nr(io_calls[i]);

		if (nr >= 0 && nr < IOPROFILE_NR_MAX)
			skel->rodata->io_syscall[nr] = 1;
	}
	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){ .user = true });
}

static int run(void)
{
	int err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.banner = "Tracing I/O syscall user stacks. Ctrl-C to end.",
		.on_interval = print,
	});

	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(ioprofile,
	.category = "syscalls",
	.summary = "User stacks issuing read, write, send and recv syscalls, counted (book)",
	.examples =
	"    ioprofile -p 181   # I/O syscall stacks of PID 181, until Ctrl-C\n"
	"    ioprofile 10 1     # every process, one 10-second summary\n",
	.opts = opts,
	.skeleton = &ioprofile_bpf__skeleton,
	.run = run);
