/* Option parsing: types, clusters, attached values, long prefixes, positionals, and the
 * one-line errors with exit status 2. Runs without privileges. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/applet.h"
#include "check.h"

static struct {
	bool flag_x, flag_q;
	long num;
	const char *name;
	struct bcct_list list;
	long min_us;
} o;

static const struct bcct_opt opts[] = {
	OPT_FLAG_('x', "fails", &o.flag_x, "include failures"),
	OPT_FLAG_('q', "quote", &o.flag_q, "quote"),
	OPT_INT_('n', "number", &o.num, "N", "a number", 1, 100),
	OPT_STR_(0, "name", &o.name, "NAME", "a name"),
	OPT_LIST_('e', "errno", &o.list, "ERR", "errors"),
	STD_PID('p'),
	STD_UID('u'),
	STD_FILTERS,
	STD_EXEC,
	POS_INT_("min_us", &o.min_us, "minimum latency", 0, 1000000),
	STD_COUNT,
	OPT_END_,
};

static const struct bcct_applet app = { .name = "testapp", .summary = "Test applet", .opts = opts,
					.examples = "    ./testapp -x   # example\n" };

/* A positional list (funcslower's "function [function ...]"): every remaining argument, whole. */
static struct bcct_list funcs;
static const struct bcct_opt list_opts[] = {
	OPT_FLAG_('x', "fails", &o.flag_x, "include failures"),
	POS_LIST_("function", &funcs, "function(s) to trace"),
	OPT_END_,
};
static const struct bcct_applet list_app = { .name = "testapp", .summary = "Test applet", .opts = list_opts };
static const struct bcct_applet *cur = &app;

/* Parses a NULL-terminated argument list, capturing stderr. */
static int parse(char *err, size_t errlen, ...)
{
	char *argv[32] = { "testapp" };
	int argc = 1, rc, fds[2], saved;
	va_list ap;
	ssize_t n;

	va_start(ap, errlen);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	memset(&o, 0, sizeof(o));
	memset(&funcs, 0, sizeof(funcs));
	bcct_env_reset();
	bcct_prog = "testapp";
	if (pipe(fds))
		return -1;
	fflush(stderr);
	saved = dup(2);
	dup2(fds[1], 2);
	rc = bcct_parse_args(cur, argc, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	n = read(fds[0], err, errlen - 1);
	err[n > 0 ? n : 0] = 0;
	close(fds[0]);
	return rc;
}

int main(void)
{
	char err[512];
	FILE *devnull = fopen("/dev/null", "w");

	CHECK(parse(err, sizeof(err), "-xq", "-n5", "--name=abc", "-p", "42", NULL) == 0, "basic parse");
	CHECK(o.flag_x && o.flag_q && o.num == 5 && !strcmp(o.name, "abc") && env.pid == 42, "values");
	CHECK(parse(err, sizeof(err), "--num", "7", "--json", "-vv", NULL) == 0 && o.num == 7, "long prefix");
	CHECK(env.json && env.verbose == 2, "json and -vv");
	CHECK(parse(err, sizeof(err), "-e", "ENOENT,EPERM", "-e", "EINTR", NULL) == 0 && o.list.n == 3 &&
	      !strcmp(o.list.v[2], "EINTR"), "list option");
	CHECK(parse(err, sizeof(err), "500", "3", NULL) == 0 && o.min_us == 500 && env.count == 3, "positionals");
	CHECK(parse(err, sizeof(err), "-u", "root", NULL) == 0 && env.uid == 0, "uid by name");
	CHECK(parse(err, sizeof(err), NULL) == 0 && env.uid == -1 && env.pid == 0, "defaults");

	CHECK(parse(err, sizeof(err), "-p", "abc", NULL) == BCCT_EXIT_USAGE, "bad pid rejected");
	CHECK(!strcmp(err, "testapp: invalid -p/--pid 'abc': not a number (try 'testapp --help')\n"), "%s", err);
	CHECK(parse(err, sizeof(err), "-n", "500", NULL) == BCCT_EXIT_USAGE && strstr(err, "between 1 and 100"), "range");
	CHECK(parse(err, sizeof(err), "-z", NULL) == BCCT_EXIT_USAGE && strstr(err, "unrecognized option '-z'"), "unknown short");
	CHECK(parse(err, sizeof(err), "--bogus", NULL) == BCCT_EXIT_USAGE && strstr(err, "'--bogus'"), "unknown long");
	CHECK(parse(err, sizeof(err), "-n", NULL) == BCCT_EXIT_USAGE && strstr(err, "needs a value"), "missing value");
	CHECK(parse(err, sizeof(err), "1", "2", "3", NULL) == BCCT_EXIT_USAGE && strstr(err, "unexpected argument '3'"), "extra positional");
	CHECK(parse(err, sizeof(err), "--fails=1", NULL) == BCCT_EXIT_USAGE && strstr(err, "takes no value"), "flag with value");
	CHECK(parse(err, sizeof(err), "-u", "no-such-user-xyz", NULL) == BCCT_EXIT_USAGE, "unknown user");
	CHECK(strchr(err, '\n') == err + strlen(err) - 1, "errors are one line");

	/* --exec: the parser stops there; everything after it, options included, is CMD's. */
	CHECK(parse(err, sizeof(err), "-x", "--exec", "ls", "-n", "500", "--bogus", NULL) == 0 && o.flag_x &&
	      !o.num && env.exec_argv && !strcmp(env.exec_argv[0], "ls") && !strcmp(env.exec_argv[1], "-n") &&
	      !strcmp(env.exec_argv[3], "--bogus") && !env.exec_argv[4], "--exec takes the rest");
	CHECK(parse(err, sizeof(err), "--exec=true", "1", NULL) == 0 && !strcmp(env.exec_argv[0], "true") &&
	      !strcmp(env.exec_argv[1], "1") && !env.exec_argv[2] && !o.min_us, "--exec=CMD");
	CHECK(parse(err, sizeof(err), "--exec", NULL) == BCCT_EXIT_USAGE && strstr(err, "needs a value (CMD [ARGS...])"),
	      "--exec without CMD");
	CHECK(parse(err, sizeof(err), NULL) == 0 && !env.exec_argv, "no --exec");

	cur = &list_app;
	CHECK(parse(err, sizeof(err), "c:malloc", "-x", "a,b", NULL) == 0 && funcs.n == 2 && o.flag_x &&
	      !strcmp(funcs.v[0], "c:malloc") && !strcmp(funcs.v[1], "a,b"), "positional list");
	CHECK(parse(err, sizeof(err), NULL) == 0 && funcs.n == 0, "empty positional list");
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		bcct_print_help(&list_app, m);
		fclose(m);
		CHECK(strstr(buf, "usage: testapp [-h] [-x] function [function ...]") != NULL, "list usage line");
		free(buf);
	}
	cur = &app;

	/* Help goes to stdout and returns 1 (caller exits 0). */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		bcct_print_help(&app, m);
		fclose(m);
		CHECK(strstr(buf, "usage: testapp [-h] [-x] [-q] [-n N]") != NULL, "usage line");
		CHECK(strstr(buf, "  -p PID, --pid PID") != NULL, "option help");
		CHECK(strstr(buf, "positional arguments:\n  min_us") != NULL, "positional help");
		CHECK(strstr(buf, "examples:\n    ./testapp -x") != NULL, "examples");
		free(buf);
	}
	fclose(devnull);
	return check_summary("opts");
}
