/* rt_fixture LANG GOFILE METHOD [N]: a stand-in for a language runtime whose Debian build has no
 * USDT probes (java's hotspot, node, perl, php, ruby, tcl; python too, for its probes that
 * CPython 3.11 does not fire). It carries LANG's provider and probe names with the argument
 * layouts the runtimes document (hotspot's strings with their lengths; the others NUL-ended),
 * waits until GOFILE exists, then fires as a program of LANG would: N calls of METHOD in class
 * BcctClass (entry, return), N allocations of BcctObj (24 bytes each; java: each also through
 * a stand-in jni_NewObject()), one garbage collection
 * (begin, end), one thread start and stop, a class load and an exception; then it holds 1.5 s
 * (so the top tools see it for an interval) and exits. "postgres" and "mysql" run N queries of
 * 2 ms (SELECT 'METHOD') through those databases' query probes (mysql: each inside a command,
 * command__start/command__done). LANG "all" fires every one
 * (tests/live/json.sh: one process for every engine). GOFILE is waited for 180 s at most (json.sh
 * touches it after its runs attached, which takes a minute in an emulated guest). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <sys/sdt.h>

static const char klass[] = "BcctClass", obj[] = "BcctObj", file[] = "bcct_fixture.src";
static const char thread_name[] = "bcct-worker", mgr[] = "BcctGC", pool[] = "BcctPool";

/* libjvm's JNI constructor, a stand-in for jnistacks (which takes it from the executable of a
 * process without libjvm.so, as a JVM linked statically has it): called once per allocation. */
__attribute__((noinline)) void *jni_NewObject(void *env, void *clazz, void *method)
{
	__asm__ volatile("" : : "r"(env), "r"(clazz), "r"(method) : "memory");
	return 0;
}

static void java(const char *m, long n)
{
	long tid = syscall(SYS_gettid), len = strlen(m);

	for (long i = 0; i < n; i++) {
		DTRACE_PROBE7(hotspot, method__entry, tid, klass, sizeof(klass) - 1, m, len, "()V", 3);
		DTRACE_PROBE7(hotspot, method__return, tid, klass, sizeof(klass) - 1, m, len, "()V", 3);
		DTRACE_PROBE4(hotspot, object__alloc, tid, obj, sizeof(obj) - 1, 24);
		jni_NewObject(0, 0, 0);
	}
	/* (manager, len, pool, len, initial, used, committed, max) */
	DTRACE_PROBE8(hotspot, mem__pool__gc__begin, mgr, sizeof(mgr) - 1, pool, sizeof(pool) - 1,
		      1024, 4096, 8192, 65536);
	usleep(2000);
	DTRACE_PROBE8(hotspot, mem__pool__gc__end, mgr, sizeof(mgr) - 1, pool, sizeof(pool) - 1,
		      1024, 1024, 8192, 65536);
	DTRACE_PROBE1(hotspot, gc__begin, 1);
	DTRACE_PROBE(hotspot, gc__end);
	/* (name, len, java id, native id, daemon) */
	DTRACE_PROBE5(hotspot, thread__start, thread_name, sizeof(thread_name) - 1, 7, tid, 0);
	DTRACE_PROBE5(hotspot, thread__stop, thread_name, sizeof(thread_name) - 1, 7, tid, 0);
	DTRACE_PROBE4(hotspot, class__loaded, klass, sizeof(klass) - 1, 0, 0);
	DTRACE_PROBE1(hotspot_jni, ExceptionOccurred__entry, 0);
}

static void node(const char *m, long n)
{
	/* gc__start/gc__done(type, flags, isolate): mark-sweep-compact */
	DTRACE_PROBE3(node, gc__start, 2, 0, 0);
	usleep(2000);
	DTRACE_PROBE3(node, gc__done, 2, 0, 0);
}

static void perl(const char *m, long n)
{
	/* sub__entry/sub__return(name, file, line, package) */
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE4(perl, sub__entry, m, file, 10, klass);
		DTRACE_PROBE4(perl, sub__return, m, file, 10, klass);
	}
}

static void php(const char *m, long n)
{
	/* function__entry/return(function, file, line, class, scope) */
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE5(php, function__entry, m, file, 10, klass, "::");
		DTRACE_PROBE5(php, function__return, m, file, 10, klass, "::");
	}
	DTRACE_PROBE2(php, compile__file__entry, file, file);
	DTRACE_PROBE3(php, exception__thrown, klass, file, 10);
}

static void python(const char *m, long n)
{
	/* function__entry/return(file, function, line); gc__start(generation), gc__done(collected) */
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE3(python, function__entry, file, m, 10);
		DTRACE_PROBE3(python, function__return, file, m, 10);
	}
	DTRACE_PROBE1(python, gc__start, 2);
	usleep(2000);
	DTRACE_PROBE1(python, gc__done, 5);
}

static void ruby(const char *m, long n)
{
	/* method__entry/return(class, method, file, line); *__create(class or size, file, line) */
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE4(ruby, method__entry, klass, m, file, 10);
		DTRACE_PROBE4(ruby, method__return, klass, m, file, 10);
		DTRACE_PROBE3(ruby, object__create, obj, file, 10);
		DTRACE_PROBE3(ruby, string__create, 24, file, 10);
	}
	DTRACE_PROBE(ruby, gc__mark__begin);
	usleep(2000);
	DTRACE_PROBE(ruby, gc__mark__end);
	DTRACE_PROBE(ruby, gc__sweep__begin);
	DTRACE_PROBE(ruby, gc__sweep__end);
	DTRACE_PROBE3(ruby, hash__create, 4, file, 10);
	DTRACE_PROBE3(ruby, array__create, 4, file, 10);
	DTRACE_PROBE3(ruby, require__entry, file, file, 10);
	DTRACE_PROBE3(ruby, load__entry, file, file, 10);
	DTRACE_PROBE3(ruby, raise, klass, file, 10);
	DTRACE_PROBE4(ruby, cmethod__entry, klass, "c_method", file, 10);
	DTRACE_PROBE4(ruby, cmethod__return, klass, "c_method", file, 10);
}

static void tcl(const char *m, long n)
{
	/* proc__entry(name, objc, objv), proc__args(name, arg...), proc__return(name, code) */
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE3(tcl, proc__entry, m, 1, 0);
		DTRACE_PROBE2(tcl, proc__args, m, 0);
		DTRACE_PROBE2(tcl, proc__return, m, 0);
		DTRACE_PROBE1(tcl, obj__create, &i);
	}
}

static void postgres(const char *m, long n)
{
	char query[128];

	/* postgresql:query__start(query), query__done(query) */
	snprintf(query, sizeof(query), "SELECT '%s'", m);
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE1(postgresql, query__start, query);
		usleep(2000);
		DTRACE_PROBE1(postgresql, query__done, query);
	}
}

static void mysql(const char *m, long n)
{
	char query[128];

	/* mysql:command__start(thread id, command, user, host), command__done(status) around
	 * each query (command 3: COM_QUERY); query__start(query, connection id, database, user,
	 * host), query__done(status) */
	snprintf(query, sizeof(query), "SELECT '%s'", m);
	for (long i = 0; i < n; i++) {
		DTRACE_PROBE4(mysql, command__start, 7L, 3, "root", "localhost");
		DTRACE_PROBE5(mysql, query__start, query, 7L, "bcct", "root", "localhost");
		usleep(2000);
		DTRACE_PROBE1(mysql, query__done, 0);
		DTRACE_PROBE1(mysql, command__done, 0);
	}
}

static const struct {
	const char *name;
	void (*fire)(const char *method, long n);
} langs[] = { { "java", java }, { "node", node }, { "perl", perl }, { "php", php },
	      { "python", python }, { "ruby", ruby }, { "tcl", tcl }, { "postgres", postgres },
	      { "mysql", mysql } };

int main(int argc, char **argv)
{
	long n = argc > 4 ? atol(argv[4]) : 1000;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	bool all = argc > 1 && !strcmp(argv[1], "all"), found = false;

	if (argc < 4) {
		fprintf(stderr, "usage: rt_fixture LANG GOFILE METHOD [N]\n");
		return 2;
	}
	for (int waited = 0; access(argv[2], F_OK) && waited < 18000; waited++)
		nanosleep(&tick, NULL);
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		if (!all && strcmp(argv[1], langs[i].name))
			continue;
		langs[i].fire(argv[3], n);
		found = true;
	}
	if (!found) {
		fprintf(stderr, "rt_fixture: unknown language %s\n", argv[1]);
		return 2;
	}
	usleep(1500 * 1000);
	return 0;
}
