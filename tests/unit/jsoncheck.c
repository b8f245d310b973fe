/* jsoncheck: validates bcct --json output against docs/JSON.md, for tests/live/json.sh.
 *
 *   jsoncheck [--min N] SPEC [FILE]      (FILE default stdin)
 *
 * Every line must be exactly one JSON object (RFC 8259: strict numbers, escapes, UTF-8; no
 * duplicate keys), ending in a newline, with nothing before or after it. SPEC lists the keys the
 * applet documents, comma-separated, each PATH:TYPE:
 *   PATH   a key ("pid"), a nested key ("hist.unit"), or one in every element of an array
 *          ("hist.buckets[].low"); a leading "?" makes it optional (checked when present), a
 *          leading "!" optional in each line but present in at least one (the data the run
 *          must have produced, e.g. "!hists[].buckets[].count")
 *   TYPE   number, string, bool, null, array, object or any; alternatives with "|"; also
 *          int (a number written without fraction or exponent: counts, ids, ns) and time (a
 *          string in RFC 3339 with the date, microseconds and the zone offset:
 *          "2026-12-07T06:15:24.123456+00:00", the contract's "ts")
 * A key that SPEC does not name is an error too, at any depth (members of nested objects and of
 * the objects in arrays): the contract lists every key.
 * Prints "N objects" on stdout and each error as "line N: ..." on stderr; exits 0 when every
 * line is valid and there are at least N objects (--min, default 1), 1 otherwise, 2 on misuse.
 * Built static next to the workloads (build/tests/workloads/) so the VM guests have it too. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum jtype { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };
static const char *const type_names[] = { "null", "bool", "number", "string", "array", "object",
					  "int", "time" };
#define NTYPES 8
#define T_INT (1u << 6)             /* refinements of number and string */
#define T_TIME (1u << 7)

struct jvalue {
	enum jtype type;
	char *key;                  /* the member name, in an object */
	char *text;                 /* a string's raw text between the quotes */
	bool integer;               /* a number without fraction or exponent */
	struct jvalue *kids;        /* members or elements */
	size_t n, cap;
};

struct parser {
	const char *p, *start;
	const char *error;          /* first error, with its offset */
	size_t error_at;
	int depth;
};

#define MAX_DEPTH 64

static bool parse_value(struct parser *ps, struct jvalue *v);

static bool fail_at(struct parser *ps, const char *msg)
{
	if (!ps->error) {
		ps->error = msg;
		ps->error_at = ps->p - ps->start;
	}
	return false;
}

static void skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n')
		ps->p++;
}

static struct jvalue *add_kid(struct jvalue *v)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->kids = realloc(v->kids, v->cap * sizeof(*v->kids));
		if (!v->kids)
			abort();
	}
	memset(&v->kids[v->n], 0, sizeof(v->kids[0]));
	return &v->kids[v->n++];
}

static void free_value(struct jvalue *v)
{
	for (size_t i = 0; i < v->n; i++)
		free_value(&v->kids[i]);
	free(v->kids);
	free(v->key);
	free(v->text);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Length of a well-formed UTF-8 sequence at p (no overlongs, surrogates, or > U+10FFFF), else 0. */
static int utf8_length(const unsigned char *p)
{
	int n;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A string literal; *out (if asked for) gets its raw text between the quotes, escapes as is:
 * keys are compared with the spec, which names none needing escapes. */
static bool parse_string(struct parser *ps, char **out)
{
	const char *begin;

	if (*ps->p != '"')
		return fail_at(ps, "expected a string");
	begin = ++ps->p;
	for (;;) {
		unsigned char c = *ps->p;

		if (c == '"')
			break;
		if (c == 0)
			return fail_at(ps, "unterminated string");
		if (c < 0x20)
			return fail_at(ps, "unescaped control character in a string");
		if (c == '\\') {
			ps->p++;
			if (*ps->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (hex_digit(ps->p[i]) < 0)
						return fail_at(ps, "bad \\u escape");
				ps->p += 5;
			} else if (*ps->p && strchr("\"\\/bfnrt", *ps->p)) {
				ps->p++;
			} else {
				return fail_at(ps, "bad escape");
			}
			continue;
		}
		int n = utf8_length((const unsigned char *)ps->p);

		if (n == 0)
			return fail_at(ps, "invalid UTF-8 in a string");
		ps->p += n;
	}
	if (out)
		*out = strndup(begin, ps->p - begin);
	ps->p++;
	return true;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool parse_number(struct parser *ps, bool *integer)
{
	const char *p = ps->p;

	*integer = false;
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return fail_at(ps, "bad number");
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return fail_at(ps, "bad number: no digit after '.'");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return fail_at(ps, "bad number: no exponent digits");
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*integer = !memchr(ps->p, '.', p - ps->p) && !memchr(ps->p, 'e', p - ps->p) &&
		   !memchr(ps->p, 'E', p - ps->p);
	ps->p = p;
	return true;
}

static bool parse_members(struct parser *ps, struct jvalue *v, bool object)
{
	char close = object ? '}' : ']';

	ps->p++;
	skip_space(ps);
	if (*ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		struct jvalue *kid = add_kid(v);

		skip_space(ps);
		if (object) {
			if (!parse_string(ps, &kid->key))
				return false;
			for (size_t i = 0; i + 1 < v->n; i++)
				if (!strcmp(v->kids[i].key, kid->key))
					return fail_at(ps, "duplicate key");
			skip_space(ps);
			if (*ps->p != ':')
				return fail_at(ps, "expected ':'");
			ps->p++;
			skip_space(ps);
		}
		if (!parse_value(ps, kid))
			return false;
		skip_space(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return true;
		}
		return fail_at(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static bool parse_value(struct parser *ps, struct jvalue *v)
{
	bool ok;

	switch (*ps->p) {
	case '{':
	case '[':
		if (++ps->depth > MAX_DEPTH)
			return fail_at(ps, "nested too deep");
		v->type = *ps->p == '{' ? J_OBJECT : J_ARRAY;
		ok = parse_members(ps, v, v->type == J_OBJECT);
		ps->depth--;
		return ok;
	case '"':
		v->type = J_STRING;
		return parse_string(ps, &v->text);
	case 't':
	case 'f':
	case 'n': {
		static const char *const words[] = { "true", "false", "null" };

		for (int i = 0; i < 3; i++) {
			if (!strncmp(ps->p, words[i], strlen(words[i]))) {
				ps->p += strlen(words[i]);
				v->type = i == 2 ? J_NULL : J_BOOL;
				return true;
			}
		}
		return fail_at(ps, "bad literal");
	}
	default:
		v->type = J_NUMBER;
		return parse_number(ps, &v->integer);
	}
}

/* ---- the spec ------------------------------------------------------------------------------ */
struct rule {
	char *path;
	bool optional, needed;
	bool seen;                  /* a needed path was found */
	unsigned types;             /* bit per enum jtype */
};

static struct rule *rules;
static size_t nrules;

static unsigned parse_types(const char *s)
{
	unsigned mask = 0;
	char *copy = strdup(s), *save, *t;

	for (t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		unsigned bit = 0;

		if (!strcmp(t, "any"))
			bit = ~0u;
		for (int i = 0; i < NTYPES; i++)
			if (!strcmp(t, type_names[i]))
				bit = 1u << i;
		if (!bit) {
			fprintf(stderr, "jsoncheck: unknown type '%s'\n", t);
			exit(2);
		}
		mask |= bit;
	}
	free(copy);
	return mask;
}

static void parse_spec(const char *spec)
{
	char *copy = strdup(spec), *save, *item;

	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(item, ':');
		struct rule r = { 0 };

		if (!colon || colon == item) {
			fprintf(stderr, "jsoncheck: '%s' is not PATH:TYPE\n", item);
			exit(2);
		}
		*colon = 0;
		r.needed = item[0] == '!';
		r.optional = item[0] == '?' || r.needed;
		r.path = strdup(item + r.optional);
		r.types = parse_types(colon + 1);
		rules = realloc(rules, (nrules + 1) * sizeof(*rules));
		rules[nrules++] = r;
	}
	free(copy);
}

static void type_list(unsigned mask, char *buf, size_t len)
{
	buf[0] = 0;
	for (int i = 0; i < NTYPES; i++)
		if (mask & (1u << i))
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "|" : "",
				 type_names[i]);
}

static int lineno, errors;

static void error(const char *fmt, const char *a, const char *b)
{
	errors++;
	fprintf(stderr, "line %d: ", lineno);
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
}

/* "2026-12-07T06:15:24.123456+00:00" */
static bool is_rfc3339_us(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddd+dd:dd";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++) {
		bool ok = shape[i] == 'd' ? s[i] >= '0' && s[i] <= '9' :
			  shape[i] == '+' ? s[i] == '+' || s[i] == '-' : s[i] == shape[i];

		if (!ok)
			return false;
	}
	return true;
}

/* Whether v is one of the types of mask. */
static bool type_ok(unsigned mask, const struct jvalue *v)
{
	if (mask & (1u << v->type))
		return true;
	if ((mask & T_INT) && v->type == J_NUMBER && v->integer)
		return true;
	return (mask & T_TIME) && v->type == J_STRING && is_rfc3339_us(v->text);
}

static const struct jvalue *member(const struct jvalue *obj, const char *name, size_t len)
{
	for (size_t i = 0; i < obj->n; i++)
		if (strlen(obj->kids[i].key) == len && !strncmp(obj->kids[i].key, name, len))
			return &obj->kids[i];
	return NULL;
}

/* Checks the rest of r's path from v (segments after seg). */
static void check_path(struct rule *r, const struct jvalue *v, const char *seg)
{
	const char *end = strchr(seg, '.');
	size_t len = end ? (size_t)(end - seg) : strlen(seg);
	bool each = len > 2 && !strncmp(seg + len - 2, "[]", 2);
	const struct jvalue *m;
	char want[64], got[64];

	if (v->type != J_OBJECT) {
		error("'%s': %s holds no object", r->path, "the parent");
		return;
	}
	m = member(v, seg, each ? len - 2 : len);
	if (!m) {
		if (!r->optional)
			error("missing key '%s'%s", r->path, "");
		return;
	}
	if (each) {
		if (m->type != J_ARRAY) {
			error("'%s': %s is not an array", r->path, "[]");
			return;
		}
		for (size_t i = 0; i < m->n; i++) {
			if (end) {
				check_path(r, &m->kids[i], end + 1);
			} else if (r->seen = true, !type_ok(r->types, &m->kids[i])) {
				type_list(r->types, want, sizeof(want));
				error("'%s': an element is not %s", r->path, want);
			}
		}
		return;
	}
	if (end) {
		check_path(r, m, end + 1);
		return;
	}
	r->seen = true;
	if (!type_ok(r->types, m)) {
		type_list(r->types, want, sizeof(want));
		type_list(m->type == J_NUMBER && !m->integer ? 1u << J_NUMBER :
			  m->type == J_NUMBER ? T_INT : 1u << m->type, got, sizeof(got));
		errors++;
		fprintf(stderr, "line %d: '%s' is %s, documented as %s\n", lineno, r->path, got, want);
	}
}

/* Whether path ("pid", "hists[].unit") is a rule's path or leads to one. */
static bool documented(const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < nrules; i++) {
		const char *r = rules[i].path;

		if (!strncmp(r, path, len) && (r[len] == 0 || r[len] == '.' || r[len] == '['))
			return true;
	}
	return false;
}

/* Every member of obj, and of the objects below it, must be documented. */
static void check_documented(const struct jvalue *obj, const char *prefix)
{
	for (size_t i = 0; i < obj->n; i++) {
		const struct jvalue *m = &obj->kids[i];
		char path[512];

		snprintf(path, sizeof(path), "%s%s", prefix, m->key);
		if (!documented(path)) {
			error("undocumented key '%s'%s", path, "");
			continue;
		}
		if (m->type == J_OBJECT) {
			snprintf(path + strlen(path), sizeof(path) - strlen(path), ".");
			check_documented(m, path);
		} else if (m->type == J_ARRAY) {
			snprintf(path + strlen(path), sizeof(path) - strlen(path), "[].");
			for (size_t k = 0; k < m->n; k++)
				if (m->kids[k].type == J_OBJECT)
					check_documented(&m->kids[k], path);
		}
	}
}

static void check_line(const char *line, size_t len)
{
	struct parser ps = { .p = line, .start = line };
	struct jvalue root = { 0 };
	int before = errors;

	if (line[len - 1] != '\n') {
		error("no newline at the end of the last line%s%s", "", "");
	} else if (len == 1) {
		error("an empty line%s%s", "", "");
	} else if (line[0] != '{') {
		error("not a JSON object: starts with '%.1s'%s", line, "");
	} else if (!parse_value(&ps, &root) || (ps.p - line != (long)len - 1 && !ps.error)) {
		if (!ps.error) {
			ps.error = "text after the object";
			ps.error_at = ps.p - line;
		}
		errors++;
		fprintf(stderr, "line %d: invalid JSON at byte %zu: %s\n", lineno, ps.error_at, ps.error);
	} else {
		for (size_t i = 0; i < nrules; i++)
			check_path(&rules[i], &root, rules[i].path);
		check_documented(&root, "");
	}
	if (errors > before)
		fprintf(stderr, "  %.*s%s\n", len > 300 ? 300 : (int)strcspn(line, "\n"), line,
			len > 300 ? "..." : "");
	free_value(&root);
}

int main(int argc, char **argv)
{
	long min = 1;
	int i = 1;
	FILE *in = stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int objects = 0;

	if (argc > 2 && !strcmp(argv[1], "--min")) {
		min = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (argc - i < 1 || argc - i > 2) {
		fprintf(stderr, "usage: jsoncheck [--min N] SPEC [FILE]\n");
		return 2;
	}
	parse_spec(argv[i]);
	if (argc - i == 2 && !(in = fopen(argv[i + 1], "r"))) {
		perror(argv[i + 1]);
		return 2;
	}
	while ((len = getline(&line, &cap, in)) >= 0) {
		int before = errors;

		lineno++;
		if (memchr(line, 0, len)) {
			error("a NUL byte in the line%s%s", "", "");
			continue;
		}
		check_line(line, len);
		if (errors == before)
			objects++;
		if (errors > 20) {
			fprintf(stderr, "line %d: too many errors, giving up\n", lineno);
			break;
		}
	}
	for (size_t i = 0; i < nrules; i++) {
		if (rules[i].needed && !rules[i].seen) {
			errors++;
			fprintf(stderr, "'%s' is in no line: the run printed no such data\n", rules[i].path);
		}
	}
	printf("%d objects\n", objects);
	if (objects < min && !errors)
		fprintf(stderr, "fewer than %ld objects\n", min);
	return errors || objects < min ? 1 : 0;
}
