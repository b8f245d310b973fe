/* jnistacks (BPF Performance Tools, ch. 12): JNI consumers, as the user stacks that call
 * libjvm's jni_NewObject* functions, counted and printed at Ctrl-C (or every interval) in BCC's
 * stack layout, fewest first. libjvm is the one the process of -p maps (else its executable, a
 * JVM linked statically), or the file -l names.
 * Java frames print as [unknown] unless the JVM wrote a perf map (/tmp/perf-PID.map, e.g. with
 * -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit); the book ran jmaps at its end. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/applet.h"
#include "core/log.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "jnistacks.h"
#include "jnistacks.skel.h"

BCCT_SKELETON(jnistacks_bpf);

static struct {
	const char *libjvm;
	struct bcct_stacks *stacks;
} o;

static const struct bcct_opt opts[] = {
	STD_PID('p'),
	OPT_STR_('l', "libjvm", &o.libjvm, "PATH", "the libjvm.so to trace (default: the one -p maps)"),
	STD_INTERVAL,
	STD_COUNT,
	STD_STACK_OPTS,
	STD_FILTERS,
	OPT_END_,
};

static const char *const jni_functions[] = {
	"jni_NewObject", "jni_NewObjectA", "jni_NewObjectV", "jni_NewObjectArray",
};

static void describe(const void *key, struct bcct_stack *st)
{
	const struct jnistacks_key *k = key;

	st->kernel_id = -1;
	st->user_id = k->user_stack_id;
	st->pid = k->pid;
	st->comm = k->comm;
	st->caller = k->caller;
}

static int print(void *p, bool final)
{
	struct jnistacks_bpf *skel = p;

	out_interval_begin();
	return bcct_stacks_print_map(o.stacks, skel->maps.counts, describe, true) < 0 ? -1 : 0;
}

static int configure(void *p)
{
	struct jnistacks_bpf *skel = p;

	return bcct_stacks_renew(&o.stacks, skel->maps.stacks, &(struct bcct_stack_fmt){ .user = true });
}

static int attach(void *ctx)
{
	struct jnistacks_bpf *skel = ctx;
	struct sys_library lib;
	char exe[4096];
	int err = 0, attached = 0;

	/* A process mapping no libjvm.so may be a JVM linked statically: its executable. */
	if (sys_library_open(&lib, env.pid, o.libjvm ? o.libjvm : "jvm", false) &&
	    (o.libjvm || sys_pid_exe(env.pid, exe, sizeof(exe)) ||
	     sys_library_open(&lib, env.pid, exe, true))) {
		if (o.libjvm)
			bcct_err("%s: no such library", o.libjvm);
		else
			bcct_err("process %ld not found", env.pid);
		return BCCT_EXIT_FAIL;
	}
	for (size_t i = 0; i < sizeof(jni_functions) / sizeof(jni_functions[0]); i++) {
		err = bcct_attach_uprobe(skel->progs.jni_new_object, false, env.pid, lib.attach,
					 jni_functions[i], 0);
		if (!err)
			attached++;
		else if (err != -ENOENT)
			break;
	}
	if (err && err != -ENOENT)
		bcct_err("%s: cannot attach uprobes: %s", lib.shown, strerror(-err));
	else if (!attached)
		bcct_err("%s: no jni_NewObject* functions in its symbols (is it a JVM?)", lib.shown);
	sys_library_close(&lib);
	return (err && err != -ENOENT) || !attached ? BCCT_EXIT_FAIL : 0;
}

static int run(void)
{
	int err;

	if (!env.pid && !o.libjvm) {
		bcct_usage_err("give the JVM's PID (-p PID) or its libjvm.so (-l PATH)");
		return BCCT_EXIT_USAGE;
	}
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = "Tracing jni_NewObject* calls... Ctrl-C to end.",
		.on_interval = print,
	});
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	return err;
}

BCCT_APPLET(jnistacks,
	.category = "language runtime",
	.summary = "JNI object creation (jni_NewObject*) by user stack (book)",
	.examples =
	"    jnistacks -p 181      # JNI object creation stacks of JVM 181, until Ctrl-C\n"
	"    jnistacks -l /usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so\n"
	"                          # every JVM using that libjvm\n",
	.opts = opts,
	.skeleton = &jnistacks_bpf__skeleton,
	.run = run);
