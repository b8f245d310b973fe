/* Option parsing driven by each applet's table: short flags (clustered: -xT), short options with
 * attached or separate values (-p123, -p 123), long options (--pid=123, --pid 123), "--", and
 * positionals in table order. Every error is one line, exit status 2. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/applet.h"
#include "core/opts.h"

_Thread_local struct bcct_env env;
BCCT_OPT_LAYOUT(struct bcct_env, env)

#define MAX_OPT_LAYOUTS 8
static struct {
	char *layout;
	size_t size;
	void *(*instance)(void);
} layouts[MAX_OPT_LAYOUTS];
static size_t nlayouts;

void bcct_opt_layout_add(void *layout, size_t size, void *(*instance)(void))
{
	if (nlayouts < MAX_OPT_LAYOUTS)
		layouts[nlayouts++] = (typeof(layouts[0])){ layout, size, instance };
}

/* Where an option's value goes: in this thread's instance when the table names a layout. */
static void *opt_dest(const struct bcct_opt *o)
{
	char *d = o->dest;

	for (size_t i = 0; i < nlayouts; i++)
		if (d >= layouts[i].layout && d < layouts[i].layout + layouts[i].size)
			return (char *)layouts[i].instance() + (d - layouts[i].layout);
	return o->dest;
}

void bcct_env_reset(void)
{
	memset(&env, 0, sizeof(env));
	env.uid = -1;
	env.interval = 0;
	env.count = 0;
}

int bcct_parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

_Thread_local const char *bcct_opt_why;

int bcct_parse_uid(const char *s, void *dest)
{
	long v;
	char line[512];
	FILE *f;

	if (bcct_parse_long(s, &v) == 0) {
		if (v < 0 || v > (long)UINT_MAX - 1) {
			bcct_opt_why = "a UID is from 0 to 4294967294";
			return -1;
		}
		*(long *)dest = v;
		return 0;
	}
	bcct_opt_why = "no such user";
	f = fopen("/etc/passwd", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *name = strtok_r(line, ":", &save), *uid;

		strtok_r(NULL, ":", &save);
		uid = strtok_r(NULL, ":", &save);
		if (name && uid && !strcmp(name, s) && bcct_parse_long(uid, &v) == 0) {
			fclose(f);
			*(long *)dest = v;
			return 0;
		}
	}
	fclose(f);
	return -1;
}

int bcct_parse_id_list(const struct bcct_list *l, unsigned int *dst, int max, const char *what)
{
	if (l->n > max) {
		bcct_usage_err("too many values for %s: at most %d", what, max);
		return -1;
	}
	for (int i = 0; i < l->n; i++) {
		long v;

		if (bcct_parse_long(l->v[i], &v) || v < 1 || v > INT_MAX) {
			bcct_usage_err("invalid %s '%s': not a positive number", what, l->v[i]);
			return -1;
		}
		dst[i] = v;
	}
	return l->n;
}

/* An option whose value may be left out (argparse's nargs='?' with const: bashreadline -s) is
 * given without one when nothing follows it or the next argument is an option. */
static bool optional_absent(const struct bcct_opt *o, int argc, char **argv, int i)
{
	return o->implicit && (i + 1 >= argc || (argv[i + 1][0] == '-' && argv[i + 1][1]));
}

bool bcct_opt_takes_value(const struct bcct_opt *o)
{
	return o->type == OPT_REST || o->type == OPT_INT || o->type == OPT_STRING || o->type == OPT_LIST || o->type == OPT_FUNC;
}

bool bcct_opt_is_positional(const struct bcct_opt *o)
{
	return !o->short_name && !o->long_name;
}

/* "-p/--pid" for messages. */
static const char *opt_label(const struct bcct_opt *o, char *buf, size_t len)
{
	if (bcct_opt_is_positional(o))
		snprintf(buf, len, "%s", o->argname);
	else if (o->short_name && o->long_name)
		snprintf(buf, len, "-%c/--%s", o->short_name, o->long_name);
	else if (o->short_name)
		snprintf(buf, len, "-%c", o->short_name);
	else
		snprintf(buf, len, "--%s", o->long_name);
	return buf;
}

static int apply(const struct bcct_opt *o, const char *arg)
{
	char label[64];
	void *dest = opt_dest(o);
	long v;

	switch (o->type) {
	case OPT_FLAG:
		*(bool *)dest = true;
		return 0;
	case OPT_COUNT:
		(*(int *)dest)++;
		return 0;
	case OPT_INT:
		if (bcct_parse_long(arg, &v)) {
			bcct_usage_err("invalid %s '%s': %s", opt_label(o, label, sizeof(label)), arg,
				       errno == ERANGE ? "too large" : "not a number");
			return -1;
		}
		if ((o->min || o->max) && (v < o->min || v > o->max)) {
			bcct_usage_err("invalid %s '%s': must be between %ld and %ld",
				       opt_label(o, label, sizeof(label)), arg, o->min, o->max);
			return -1;
		}
		*(long *)dest = v;
		return 0;
	case OPT_STRING:
		if (!*arg) {
			bcct_usage_err("empty value for %s", opt_label(o, label, sizeof(label)));
			return -1;
		}
		*(const char **)dest = arg;
		return 0;
	case OPT_LIST: {
		struct bcct_list *l = dest;
		char *copy, *save = NULL;

		/* A positional list takes every remaining positional argument whole (argparse's
		 * nargs="+"): funcslower's functions. */
		if (bcct_opt_is_positional(o)) {
			if (l->n >= BCCT_LIST_MAX) {
				bcct_usage_err("too many values for %s", opt_label(o, label, sizeof(label)));
				return -1;
			}
			l->v[l->n++] = arg;
			return 0;
		}
		copy = strdup(arg);
		if (!copy || !copy[strspn(copy, ", ")]) {
			bcct_usage_err("empty list for %s", opt_label(o, label, sizeof(label)));
			free(copy);
			return -1;
		}
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			if (l->n >= BCCT_LIST_MAX) {
				bcct_usage_err("too many values for %s", opt_label(o, label, sizeof(label)));
				return -1;
			}
			l->v[l->n++] = tok;
		}
		return 0;
	}
	case OPT_FUNC:
		bcct_opt_why = NULL;
		if (o->parse(arg, dest)) {
			bcct_usage_err("invalid %s '%s'%s%s", opt_label(o, label, sizeof(label)), arg,
				       bcct_opt_why ? ": " : "", bcct_opt_why ? bcct_opt_why : "");
			return -1;
		}
		return 0;
	case OPT_REST:     /* consumed by the parser itself */
	case OPT_END:
		break;
	}
	return -1;
}

static const struct bcct_opt *find_short(const struct bcct_opt *opts, char c)
{
	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static const struct bcct_opt *find_long(const struct bcct_opt *opts, const char *name, size_t len)
{
	const struct bcct_opt *prefix = NULL;
	int nprefix = 0;

	for (const struct bcct_opt *o = opts; o && o->type != OPT_END; o++) {
		if (!o->long_name || strncmp(o->long_name, name, len))
			continue;
		if (strlen(o->long_name) == len)
			return o;
		prefix = o;            /* unambiguous prefixes are accepted, as argparse does */
		nprefix++;
	}
	return nprefix == 1 ? prefix : NULL;
}

int bcct_parse_args(const struct bcct_applet *a, int argc, char **argv)
{
	const struct bcct_opt *opts = a->opts;
	const struct bcct_opt *pos = opts;
	bool only_positional = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!only_positional && (!strcmp(arg, "-h") || !strcmp(arg, "--help"))) {
			bcct_print_help(a, stdout);
			return 1;
		}
		if (!only_positional && !strcmp(arg, "--")) {
			only_positional = true;
			continue;
		}
		if (!only_positional && arg[0] == '-' && arg[1] == '-') {
			const char *name = arg + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const struct bcct_opt *o = find_long(opts, name, len);

			if (!o) {
				bcct_usage_err("unrecognized option '--%.*s'", (int)len, name);
				return BCCT_EXIT_USAGE;
			}
			if (o->type == OPT_REST) {
				/* --exec CMD [ARGS...] or --exec=CMD [ARGS...]: the rest is CMD's. */
				if (eq)
					argv[i] = (char *)eq + 1;
				else
					i++;
				if (i >= argc || !*argv[i]) {
					bcct_usage_err("option '--%s' needs a value (%s)", o->long_name, o->argname);
					return BCCT_EXIT_USAGE;
				}
				*(char ***)opt_dest(o) = argv + i;
				return 0;
			}
			if (bcct_opt_takes_value(o)) {
				const char *val = eq ? eq + 1 : optional_absent(o, argc, argv, i) ? o->implicit :
						  (i + 1 < argc ? argv[++i] : NULL);

				if (!val) {
					bcct_usage_err("option '--%s' needs a value (%s)", o->long_name, o->argname);
					return BCCT_EXIT_USAGE;
				}
				if (apply(o, val))
					return BCCT_EXIT_USAGE;
			} else {
				if (eq) {
					bcct_usage_err("option '--%s' takes no value", o->long_name);
					return BCCT_EXIT_USAGE;
				}
				apply(o, NULL);
			}
			continue;
		}
		/* A lone "-" or a negative number is a positional, like argparse, unless the digit is
		 * an option letter of this applet (tcplife -4/-6). */
		if (!only_positional && arg[0] == '-' && arg[1] &&
		    (!(arg[1] >= '0' && arg[1] <= '9') || find_short(opts, arg[1]))) {
			for (const char *c = arg + 1; *c; c++) {
				const struct bcct_opt *o = find_short(opts, *c);

				if (!o) {
					bcct_usage_err("unrecognized option '-%c'", *c);
					return BCCT_EXIT_USAGE;
				}
				if (bcct_opt_takes_value(o)) {
					const char *val = c[1] ? c + 1 : optional_absent(o, argc, argv, i) ?
							  o->implicit : (i + 1 < argc ? argv[++i] : NULL);

					if (!val) {
						bcct_usage_err("option '-%c' needs a value (%s)", *c, o->argname);
						return BCCT_EXIT_USAGE;
					}
					if (apply(o, val))
						return BCCT_EXIT_USAGE;
					break;
				}
				apply(o, NULL);
			}
			continue;
		}
		/* Positional: the next positional entry in table order. */
		while (pos && pos->type != OPT_END && !bcct_opt_is_positional(pos))
			pos++;
		if (!pos || pos->type == OPT_END) {
			bcct_usage_err("unexpected argument '%s'", arg);
			return BCCT_EXIT_USAGE;
		}
		if (apply(pos, arg))
			return BCCT_EXIT_USAGE;
		if (pos->type != OPT_LIST)
			pos++;
	}
	return 0;
}

static void usage_line(const struct bcct_applet *a, FILE *out)
{
	int col = fprintf(out, "usage: %s [-h]", a->name);

	for (const struct bcct_opt *o = a->opts; o && o->type != OPT_END; o++) {
		char item[96];

		if (bcct_opt_is_positional(o) && o->type == OPT_LIST)
			snprintf(item, sizeof(item), " %s [%s ...]", o->argname, o->argname);
		else if (bcct_opt_is_positional(o))
			snprintf(item, sizeof(item), " [%s]", o->argname);
		else if (o->short_name)
			snprintf(item, sizeof(item), !bcct_opt_takes_value(o) ? " [-%c]" : o->implicit ? " [-%c [%s]]" :
				 " [-%c %s]", o->short_name, o->argname);
		else
			snprintf(item, sizeof(item), !bcct_opt_takes_value(o) ? " [--%s]" : o->implicit ? " [--%s [%s]]" :
				 " [--%s %s]", o->long_name, o->argname);
		if (col + strlen(item) > 78) {
			col = fprintf(out, "\n%*s", (int)strlen(a->name) + 7, "") - 1;
		}
		col += fprintf(out, "%s", item);
	}
	fputc('\n', out);
}

static void help_item(FILE *out, const char *label, const char *help)
{
	if (strlen(label) <= 22)
		fprintf(out, "  %-22s  %s\n", label, help ? help : "");
	else
		fprintf(out, "  %s\n  %-22s  %s\n", label, "", help ? help : "");
}

void bcct_print_help(const struct bcct_applet *a, FILE *out)
{
	bool any_pos = false;

	usage_line(a, out);
	fprintf(out, "\n%s\n", a->summary);
	if (a->description)
		fprintf(out, "\n%s\n", a->description);
	for (const struct bcct_opt *o = a->opts; o && o->type != OPT_END; o++) {
		if (!bcct_opt_is_positional(o))
			continue;
		if (!any_pos)
			fprintf(out, "\npositional arguments:\n");
		any_pos = true;
		help_item(out, o->argname, o->help);
	}
	fprintf(out, "\noptions:\n");
	help_item(out, "-h, --help", "show this help message and exit");
	for (const struct bcct_opt *o = a->opts; o && o->type != OPT_END; o++) {
		char label[96], optional[64];
		const char *v = bcct_opt_takes_value(o) ? o->argname : NULL;

		if (v && o->implicit) {
			snprintf(optional, sizeof(optional), "[%s]", v);
			v = optional;
		}

		if (bcct_opt_is_positional(o))
			continue;
		if (o->short_name && o->long_name)
			snprintf(label, sizeof(label), v ? "-%c %s, --%s %s" : "-%c, --%s", o->short_name,
				 v ? v : o->long_name, v ? o->long_name : "", v ? v : "");
		else if (o->short_name)
			snprintf(label, sizeof(label), v ? "-%c %s" : "-%c", o->short_name, v ? v : "");
		else
			snprintf(label, sizeof(label), v ? "--%s %s" : "--%s", o->long_name, v ? v : "");
		help_item(out, label, o->help);
	}
	if (a->examples)
		fprintf(out, "\nexamples:\n%s", a->examples);
	if (a->aliases && a->aliases[0].name) {
		fprintf(out, "\naliases:\n");
		for (const struct bcct_alias *al = a->aliases; al->name; al++) {
			char line[160] = "";

			for (int i = 0; i < 6 && al->args[i]; i++) {
				strncat(line, " ", sizeof(line) - strlen(line) - 1);
				strncat(line, al->args[i], sizeof(line) - strlen(line) - 1);
			}
			fprintf(out, "  %-22s  = %s%s\n", al->name, a->name, line);
		}
	}
}
