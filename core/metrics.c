/* Prometheus metrics from applets' --json output; see metrics.h and docs/METRICS.md. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/index.h"
#include "core/metrics.h"

/* ---- a small JSON reader for the applets' own lines (docs/JSON.md) ---- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jnode {
	enum jtype type;
	char *key;                      /* member name inside an object */
	char *str;
	double num;
	long long inum;
	bool is_int;
	struct jnode **kids;
	size_t nkids;
};

#define JSON_MAX_DEPTH 16

static void jfree(struct jnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		jfree(n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n->str);
	free(n);
}

static void skip_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

/* A JSON string at *p (after the quote); \uXXXX outside ASCII becomes '?': only keys and labels
 * are read from strings. */
static char *jstring(const char **p)
{
	const char *s = *p;
	size_t cap = 32, n = 0;
	char *out = malloc(cap);

	while (out && *s && *s != '"') {
		char c = *s++;

		if (c == '\\') {
			c = *s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned v = 0;

				for (int i = 0; i < 4; i++, s++) {
					if (!isxdigit((unsigned char)*s))
						goto bad;
					v = v * 16 + (isdigit((unsigned char)*s) ? *s - '0' : (tolower(*s) - 'a' + 10));
				}
				c = v < 0x80 ? (char)v : '?';
				break;
			}
			case 0:
				goto bad;
			default:
				break;          /* \" \\ \/ */
			}
		}
		if (n + 2 > cap) {
			char *bigger = realloc(out, cap *= 2);

			if (!bigger)
				goto bad;
			out = bigger;
		}
		out[n++] = c;
	}
	if (!out || *s != '"')
		goto bad;
	out[n] = 0;
	*p = s + 1;
	return out;
bad:
	free(out);
	return NULL;
}

static bool jadd(struct jnode *parent, struct jnode *kid)
{
	struct jnode **k = realloc(parent->kids, (parent->nkids + 1) * sizeof(*k));

	if (!k)
		return false;
	parent->kids = k;
	parent->kids[parent->nkids++] = kid;
	return true;
}

static struct jnode *jvalue(const char **p, int depth)
{
	struct jnode *n = calloc(1, sizeof(*n));
	char *end;

	if (!n || depth > JSON_MAX_DEPTH)
		goto bad;
	skip_ws(p);
	switch (**p) {
	case '{':
	case '[': {
		bool obj = **p == '{';
		char close = obj ? '}' : ']';

		n->type = obj ? J_OBJ : J_ARR;
		(*p)++;
		skip_ws(p);
		if (**p == close) {
			(*p)++;
			return n;
		}
		for (;;) {
			char *key = NULL;
			struct jnode *kid;

			skip_ws(p);
			if (obj) {
				if (**p != '"')
					goto bad;
				(*p)++;
				if (!(key = jstring(p)))
					goto bad;
				skip_ws(p);
				if (**p != ':') {
					free(key);
					goto bad;
				}
				(*p)++;
			}
			if (!(kid = jvalue(p, depth + 1))) {
				free(key);
				goto bad;
			}
			kid->key = key;
			if (!jadd(n, kid)) {
				jfree(kid);
				goto bad;
			}
			skip_ws(p);
			if (**p == ',') {
				(*p)++;
				continue;
			}
			if (**p != close)
				goto bad;
			(*p)++;
			return n;
		}
	}
	case '"':
		(*p)++;
		n->type = J_STR;
		if (!(n->str = jstring(p)))
			goto bad;
		return n;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(*p, "true", 4) || !strncmp(*p, "null", 4)) {
			n->type = **p == 't' ? J_BOOL : J_NULL;
			n->inum = **p == 't';
			*p += 4;
			return n;
		}
		if (!strncmp(*p, "false", 5)) {
			n->type = J_BOOL;
			*p += 5;
			return n;
		}
		goto bad;
	default:
		n->type = J_NUM;
		n->num = strtod(*p, &end);
		if (end == *p)
			goto bad;
		n->is_int = !memchr(*p, '.', end - *p) && !memchr(*p, 'e', end - *p) && !memchr(*p, 'E', end - *p);
		n->inum = n->is_int ? strtoll(*p, NULL, 10) : (long long)n->num;
		*p = end;
		return n;
	}
bad:
	jfree(n);
	return NULL;
}

static const struct jnode *jget(const struct jnode *obj, const char *key)
{
	for (size_t i = 0; obj && obj->type == J_OBJ && i < obj->nkids; i++)
		if (!strcmp(obj->kids[i]->key, key))
			return obj->kids[i];
	return NULL;
}

/* ---- the registry ---- */

enum mtype { M_COUNTER, M_GAUGE, M_HIST };

struct bucket {
	double high;
	unsigned long long count;
};

struct series {
	char *labels;                   /* rendered: k="v",k2="v2" ("" for none) */
	double value;                   /* counter, gauge; histogram: count */
	double sum;                     /* histogram */
	struct bucket *buckets;         /* histogram, by high ascending */
	size_t nbuckets;
};

struct family {
	char *name;                     /* counters without "_total" */
	char *help;
	enum mtype type;
	struct series **series;
	size_t nseries;
	struct bcct_index index;        /* series by labels */
	char *other_labels;             /* labels of the "other" series, once one exists */
};

struct applet_health {
	char *name;
	bool up;
};

struct metrics {
	size_t max_series;
	struct family **fams;
	size_t nfams;
	struct applet_health *applets;
	size_t napplets;
	unsigned long long bad_lines;
};

struct metrics *metrics_new(size_t max_series)
{
	struct metrics *m = calloc(1, sizeof(*m));

	if (m)
		m->max_series = max_series ? max_series : 1;
	return m;
}

static void series_free(struct series *s)
{
	if (!s)
		return;
	free(s->labels);
	free(s->buckets);
	free(s);
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	for (size_t f = 0; f < m->nfams; f++) {
		for (size_t i = 0; i < m->fams[f]->nseries; i++)
			series_free(m->fams[f]->series[i]);
		free(m->fams[f]->series);
		bcct_index_free(&m->fams[f]->index);
		free(m->fams[f]->name);
		free(m->fams[f]->help);
		free(m->fams[f]->other_labels);
		free(m->fams[f]);
	}
	for (size_t i = 0; i < m->napplets; i++)
		free(m->applets[i].name);
	free(m->applets);
	free(m->fams);
	free(m);
}

/* A metric or label name: [a-zA-Z0-9_] only, not starting with a digit. */
static void sanitize(char *s)
{
	for (char *c = s; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			*c = '_';
	if (isdigit((unsigned char)s[0]))
		s[0] = '_';
}

static struct family *family(struct metrics *m, const char *name, enum mtype type, const char *help)
{
	struct family *f, **bigger;

	for (size_t i = 0; i < m->nfams; i++)
		if (!strcmp(m->fams[i]->name, name))
			return m->fams[i]->type == type ? m->fams[i] : NULL;
	if (!(f = calloc(1, sizeof(*f))) || !(f->name = strdup(name)) || !(f->help = strdup(help)) ||
	    !(bigger = realloc(m->fams, (m->nfams + 1) * sizeof(*bigger)))) {
		if (f) {
			free(f->name);
			free(f->help);
		}
		free(f);
		return NULL;
	}
	sanitize(f->name);
	f->type = type;
	m->fams = bigger;
	m->fams[m->nfams++] = f;
	return f;
}

/* k="v",... with "other" for every value: where keys beyond the bound go. */
static char *other_labels_of(const char *labels)
{
	size_t cap = strlen(labels) + 64, n = 0;
	char *out = malloc(cap);
	const char *p = labels;

	if (!out)
		return NULL;
	while (*p) {
		const char *eq = strchr(p, '=');
		size_t klen = eq ? (size_t)(eq - p) : 0;

		if (!eq || n + klen + 16 > cap)
			break;
		n += snprintf(out + n, cap - n, "%s%.*s=\"other\"", n ? "," : "", (int)klen, p);
		p = eq + 2;                     /* past =" */
		while (*p && *p != '"')
			p += *p == '\\' && p[1] ? 2 : 1;
		p += *p == '"';
		p += *p == ',';
	}
	out[n] = 0;
	return out;
}

static bool series_eq(const void *owner, uint32_t i, const void *want)
{
	return !strcmp(((const struct family *)owner)->series[i]->labels, want);
}

static uint64_t series_hash(const void *owner, uint32_t i)
{
	const char *l = ((const struct family *)owner)->series[i]->labels;

	return bcct_fnv(BCCT_FNV_START, l, strlen(l));
}

static struct series *series(struct family *f, const char *labels)
{
	struct series *s, **bigger;
	uint32_t *slot;

	if (!bcct_index_reserve(&f->index, f->nseries + 1, series_hash, f))
		return NULL;
	slot = bcct_index_find(&f->index, bcct_fnv(BCCT_FNV_START, labels, strlen(labels)), series_eq, f, labels);
	if (*slot)
		return f->series[*slot - 1];
	if (f->nseries >= METRICS_MAX_STORED && labels[0]) {
		/* no more keys kept: added to the "other" series */
		if (!f->other_labels && !(f->other_labels = other_labels_of(labels)))
			return NULL;
		if (strcmp(labels, f->other_labels))
			return series(f, f->other_labels);
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->labels = strdup(labels)) ||
	    !(bigger = realloc(f->series, (f->nseries + 1) * sizeof(*bigger)))) {
		series_free(s);
		return NULL;
	}
	f->series = bigger;
	f->series[f->nseries++] = s;
	*slot = (uint32_t)f->nseries;
	return s;
}

/* Appends k="v" (escaped as the text format wants) to buf. */
static void label_add(char *buf, size_t cap, const char *key, const char *value)
{
	size_t n = strlen(buf);
	char k[128];

	snprintf(k, sizeof(k), "%s", key);
	sanitize(k);
	n += snprintf(buf + n, n < cap ? cap - n : 0, "%s%s=\"", n ? "," : "", k);
	for (const char *v = value; *v && n + 4 < cap; v++) {
		if (*v == '\\' || *v == '"')
			buf[n++] = '\\', buf[n++] = *v;
		else if (*v == '\n')
			buf[n++] = '\\', buf[n++] = 'n';
		else
			buf[n++] = (unsigned char)*v < 0x20 ? '?' : *v;
	}
	if (n + 2 < cap)
		buf[n++] = '"';
	buf[n < cap ? n : cap - 1] = 0;
}

/* Integer members that name something rather than count it: labels, not values. */
static bool key_integer(const char *k)
{
	static const char *const keys[] = { "pid", "tid", "ppid", "uid", "gid", "cpu", "pidns", "port",
		"lport", "rport", "sport", "dport", "irq", "vec", "dev", "major", "minor", "maj", "min", "signal", "sig",
		"nr", "syscall_nr", "id", "tgid", "slot", "fd", "inode", "family", "af", "state", "type" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(k, keys[i]))
			return true;
	return false;
}

#define LABELS_MAX 1024

/* The labels of an object: its strings and key integers, skipping the names in `skip`. */
static void labels_of(const struct jnode *o, char *buf, const char *const *skip)
{
	buf[0] = 0;
	for (size_t i = 0; i < o->nkids; i++) {
		const struct jnode *k = o->kids[i];
		char num[32];
		bool skipped = false;

		for (const char *const *s = skip; *s; s++)
			skipped |= !strcmp(*s, k->key);
		if (skipped)
			continue;
		if (k->type == J_STR)
			label_add(buf, LABELS_MAX, k->key, k->str);
		else if (k->type == J_NUM && k->is_int && key_integer(k->key)) {
			snprintf(num, sizeof(num), "%lld", k->inum);
			label_add(buf, LABELS_MAX, k->key, num);
		}
	}
}

static void hist_add(struct series *s, double low, double high, unsigned long long count)
{
	size_t i = 0;

	while (i < s->nbuckets && s->buckets[i].high < high)
		i++;
	if (i == s->nbuckets || s->buckets[i].high != high) {
		struct bucket *b = realloc(s->buckets, (s->nbuckets + 1) * sizeof(*b));

		if (!b)
			return;
		s->buckets = b;
		memmove(&b[i + 1], &b[i], (s->nbuckets - i) * sizeof(*b));
		b[i] = (struct bucket){ high, 0 };
		s->nbuckets++;
	}
	s->buckets[i].count += count;
	s->value += count;
	s->sum += count * (low + high) / 2;     /* BCC keeps slots, not values: their midpoint */
}

static void ingest_hists(struct metrics *m, const char *applet, const struct jnode *hists)
{
	static const char *const skip[] = { "unit", "buckets", NULL };

	for (size_t i = 0; i < hists->nkids; i++) {
		const struct jnode *h = hists->kids[i], *unit = jget(h, "unit"), *b = jget(h, "buckets");
		char name[256], help[256], labels[LABELS_MAX];
		struct family *f;
		struct series *s;

		if (h->type != J_OBJ || !b || b->type != J_ARR)
			continue;
		snprintf(name, sizeof(name), "bcct_%s_%s", applet, unit && unit->type == J_STR ? unit->str : "value");
		snprintf(help, sizeof(help), "%s: histogram in %s, buckets at BCC's log2 slot bounds", applet,
			 unit && unit->type == J_STR ? unit->str : "its unit");
		labels_of(h, labels, skip);
		if (!(f = family(m, name, M_HIST, help)) || !(s = series(f, labels)))
			continue;
		for (size_t j = 0; j < b->nkids; j++) {
			const struct jnode *lo = jget(b->kids[j], "low"), *hi = jget(b->kids[j], "high"),
					   *c = jget(b->kids[j], "count");

			if (hi && c && hi->type == J_NUM && c->type == J_NUM && c->num > 0)
				hist_add(s, lo && lo->type == J_NUM ? lo->num : hi->num, hi->num,
					 (unsigned long long)c->num);
		}
	}
}

static void ingest_rows(struct metrics *m, const char *applet, const struct jnode *rows)
{
	static const char *const skip[] = { NULL };

	for (size_t i = 0; i < rows->nkids; i++) {
		const struct jnode *r = rows->kids[i];
		char labels[LABELS_MAX];

		if (r->type != J_OBJ)
			continue;
		labels_of(r, labels, skip);
		for (size_t k = 0; k < r->nkids; k++) {
			const struct jnode *v = r->kids[k];
			char name[256], help[256];
			struct family *f;
			struct series *s;

			if (v->type != J_NUM || !v->is_int || key_integer(v->key))
				continue;
			snprintf(name, sizeof(name), "bcct_%s_%s", applet, v->key);
			snprintf(help, sizeof(help), "%s: \"%s\" of its rows, summed over the intervals", applet, v->key);
			if ((f = family(m, name, M_COUNTER, help)) && (s = series(f, labels)))
				s->value += v->num;
		}
	}
}

static void counter_add(struct metrics *m, const char *name, const char *help, const char *labels, double v)
{
	struct family *f = family(m, name, M_COUNTER, help);
	struct series *s = f ? series(f, labels) : NULL;

	if (s)
		s->value += v;
}

static void gauge_set(struct metrics *m, const char *name, const char *help, const char *labels, double v)
{
	struct family *f = family(m, name, M_GAUGE, help);
	struct series *s = f ? series(f, labels) : NULL;

	if (s)
		s->value = v;
}

void metrics_ingest(struct metrics *m, const char *applet, const char *line)
{
	const char *p = line;
	struct jnode *o = jvalue(&p, 0);
	const struct jnode *hists, *rows;
	char labels[LABELS_MAX] = "";

	label_add(labels, sizeof(labels), "applet", applet);
	counter_add(m, "bcct_serve_json_lines", "JSON lines read from the served applets", labels, 1);
	if (!o || o->type != J_OBJ) {
		counter_add(m, "bcct_serve_bad_lines", "lines of the served applets that were not JSON objects",
			    labels, 1);
		jfree(o);
		return;
	}
	hists = jget(o, "hists");
	rows = jget(o, "rows");
	if (hists && hists->type == J_ARR)
		ingest_hists(m, applet, hists);
	if (rows && rows->type == J_ARR)
		ingest_rows(m, applet, rows);
	if (jget(o, "interval")) {
		/* one line per interval (vfsstat, cachestat): its numbers as gauges of the last one */
		for (size_t k = 0; k < o->nkids; k++) {
			const struct jnode *v = o->kids[k];
			char name[256], help[256];

			if (v->type != J_NUM || !strcmp(v->key, "ts_ns"))
				continue;
			snprintf(name, sizeof(name), "bcct_%s_%s", applet, v->key);
			snprintf(help, sizeof(help), "%s: \"%s\" of its last interval", applet, v->key);
			gauge_set(m, name, help, "", v->num);
		}
	} else if (!hists && !rows && !jget(o, "stacks") && !jget(o, "summary")) {
		/* a per-event tool's event: counted by process name */
		const struct jnode *comm = jget(o, "comm");
		char name[256], help[256], ev[LABELS_MAX] = "";

		if (comm && comm->type == J_STR)
			label_add(ev, sizeof(ev), "comm", comm->str);
		snprintf(name, sizeof(name), "bcct_%s_events", applet);
		snprintf(help, sizeof(help), "%s: events printed, by process name", applet);
		counter_add(m, name, help, ev, 1);
	}
	jfree(o);
}

void metrics_add_applet(struct metrics *m, const char *applet)
{
	struct applet_health *a = realloc(m->applets, (m->napplets + 1) * sizeof(*a));
	char labels[LABELS_MAX] = "";

	if (!a)
		return;
	m->applets = a;
	m->applets[m->napplets++] = (struct applet_health){ strdup(applet), true };
	label_add(labels, sizeof(labels), "applet", applet);
	gauge_set(m, "bcct_serve_applet_up", "1 while the served applet runs", labels, 1);
	counter_add(m, "bcct_lost_events", "events the applet's ring or perf buffer lost", labels, 0);
	gauge_set(m, "bcct_links_attached", "BPF links the applet attached", labels, 0);
}

void metrics_applet_exited(struct metrics *m, const char *applet)
{
	char labels[LABELS_MAX] = "";

	label_add(labels, sizeof(labels), "applet", applet);
	gauge_set(m, "bcct_serve_applet_up", "1 while the served applet runs", labels, 0);
}

bool metrics_ingest_log(struct metrics *m, const char *applet, const char *line)
{
	char labels[LABELS_MAX] = "", probe[128], method[64];
	const char *at;
	unsigned long long n;

	label_add(labels, sizeof(labels), "applet", applet);
	if ((at = strstr(line, "lost ")) && sscanf(at, "lost %llu events", &n) == 1) {
		counter_add(m, "bcct_lost_events", "events the applet's ring or perf buffer lost", labels, (double)n);
		return false;                   /* still worth a line on stderr */
	}
	if ((at = strstr(line, ": attached ")) && sscanf(at, ": attached %llu links", &n) == 1) {
		gauge_set(m, "bcct_links_attached", "BPF links the applet attached", labels, (double)n);
		return true;
	}
	if ((at = strstr(line, ": probe ")) && sscanf(at, ": probe %127[^:]: %63[a-z_]", probe, method) == 2 &&
	    strcmp(method, "not") && strcmp(method, "skipped") && strcmp(method, "covered")) {
		label_add(labels, sizeof(labels), "probe", probe);
		label_add(labels, sizeof(labels), "method", method);
		gauge_set(m, "bcct_attach_method", "how each probe of the applet attached (1: this method)", labels, 1);
		return true;
	}
	/* the rest of -v's chatter */
	return strstr(line, ": CO-RE target") || strstr(line, ": probe ") || strstr(line, "libbpf:");
}

/* ---- rendering ---- */

struct out {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			o->failed = true;
			return;
		}
		if (o->len + n < o->cap) {
			o->len += n;
			return;
		}
		char *bigger = realloc(o->buf, o->cap = (o->cap + n + 1) * 2);

		if (!bigger) {
			o->failed = true;
			return;
		}
		o->buf = bigger;
	}
}

static int by_value_desc(const void *a, const void *b)
{
	const struct series *x = *(struct series *const *)a, *y = *(struct series *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return strcmp(x->labels, y->labels);
}

static void render_series(struct out *o, const struct family *f, const struct series *s,
			  const double *bounds, size_t nbounds)
{
	const char *open = s->labels[0] ? "{" : "", *close = s->labels[0] ? "}" : "";

	if (f->type != M_HIST) {
		put(o, "%s%s%s%s%s %.17g\n", f->name, f->type == M_COUNTER ? "_total" : "", open, s->labels,
		    close, s->value);
		return;
	}
	unsigned long long cum = 0;
	size_t j = 0;

	for (size_t b = 0; b < nbounds; b++) {
		while (j < s->nbuckets && s->buckets[j].high <= bounds[b])
			cum += s->buckets[j++].count;
		put(o, "%s_bucket{%s%sle=\"%.17g\"} %llu\n", f->name, s->labels, s->labels[0] ? "," : "",
		    bounds[b], cum);
	}
	put(o, "%s_bucket{%s%sle=\"+Inf\"} %.17g\n", f->name, s->labels, s->labels[0] ? "," : "", s->value);
	put(o, "%s_sum%s%s%s %.17g\n", f->name, open, s->labels, close, s->sum);
	put(o, "%s_count%s%s%s %.17g\n", f->name, open, s->labels, close, s->value);
}

/* Adds s into the "other" accumulator. */
static void merge_into(struct series *acc, const struct series *s)
{
	double value = acc->value + s->value, sum = acc->sum + s->sum;

	for (size_t j = 0; j < s->nbuckets; j++)
		hist_add(acc, 0, s->buckets[j].high, s->buckets[j].count);
	acc->value = value;             /* hist_add's own count and midpoint sum are replaced */
	acc->sum = sum;
}

static void render_family(struct out *o, const struct family *f, size_t max_series, bool openmetrics)
{
	struct series **order = malloc((f->nseries ? f->nseries : 1) * sizeof(*order));
	struct series other = { 0 };
	double *bounds = NULL;
	size_t nbounds = 0, shown;

	if (!order) {
		o->failed = true;
		return;
	}
	memcpy(order, f->series, f->nseries * sizeof(*order));
	qsort(order, f->nseries, sizeof(*order), by_value_desc);
	shown = f->nseries <= max_series ? f->nseries : max_series - 1;
	for (size_t i = shown; i < f->nseries; i++)
		merge_into(&other, order[i]);
	/* one bucket set for the whole family: every bound any series has */
	for (size_t i = 0; f->type == M_HIST && i < f->nseries; i++)
		for (size_t j = 0; j < f->series[i]->nbuckets; j++) {
			double h = f->series[i]->buckets[j].high;
			size_t k = 0;

			while (k < nbounds && bounds[k] < h)
				k++;
			if (k < nbounds && bounds[k] == h)
				continue;
			double *bigger = realloc(bounds, (nbounds + 1) * sizeof(*bigger));

			if (!bigger)
				continue;
			bounds = bigger;
			memmove(&bounds[k + 1], &bounds[k], (nbounds - k) * sizeof(*bounds));
			bounds[k] = h;
			nbounds++;
		}
	/* OpenMetrics names a counter's family without "_total", the 0.0.4 text format with it */
	const char *suffix = f->type == M_COUNTER && !openmetrics ? "_total" : "";

	put(o, "# HELP %s%s %s\n", f->name, suffix, f->help);
	put(o, "# TYPE %s%s %s\n", f->name, suffix,
	    f->type == M_HIST ? "histogram" : f->type == M_COUNTER ? "counter" : "gauge");
	for (size_t i = 0; i < shown; i++)
		render_series(o, f, order[i], bounds, nbounds);
	if (shown < f->nseries) {
		char *labels = other_labels_of(order[shown]->labels);

		other.labels = labels ? labels : "";
		render_series(o, f, &other, bounds, nbounds);
		free(labels);
	}
	free(other.buckets);
	free(bounds);
	free(order);
}

char *metrics_render(struct metrics *m, bool openmetrics, size_t *len)
{
	struct out o = { 0 };

	for (size_t f = 0; f < m->nfams; f++)
		render_family(&o, m->fams[f], m->max_series, openmetrics);
	if (openmetrics)
		put(&o, "# EOF\n");
	if (o.failed || !o.buf) {
		free(o.buf);
		return NULL;
	}
	*len = o.len;
	return o.buf;
}
