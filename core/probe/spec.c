/* The probe specifications of trace and argdist, split into target, signature, predicate and
 * values; the expressions inside go to parser.c. Every piece keeps its byte range in the spec so
 * errors point into what the user typed.
 *
 * trace:   [{p,r,t,u}]:[library]:function[+offset][(signature)] [(predicate)] ["format"[, args]]
 * argdist: {p,r,t,u}:{[library],category}:function(signature)[:type[,type...]:expr[,expr...]
 *          [:filter]][#label]
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"

struct range { int pos, end; };

static struct probe_spec *new_spec(const char *text, enum probe_tool tool)
{
	struct probe_spec *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->text = arena_strdup(&s->arena, text ? text : "");
	s->tool = tool;
	s->target.library = s->target.function = s->target.category = s->target.provider = "";
	return s;
}

void probe_spec_free(struct probe_spec *s)
{
	if (!s)
		return;
	arena_free(&s->arena);
	free(s);
}

const struct probe_target *probe_spec_target(const struct probe_spec *s) { return &s->target; }
const char *probe_spec_text(const struct probe_spec *s) { return s->text; }

int probe_spec_set_function(struct probe_spec *s, const char *function)
{
	char *copy = arena_strdup(&s->arena, function);

	if (!copy)
		return -ENOMEM;
	s->target.function = copy;
	return 0;
}

const char *probe_display_name(const struct probe_spec *s)
{
	return s->target.function;
}

static char *slice(struct probe_spec *s, struct range r)
{
	return arena_strndup(&s->arena, s->text + r.pos, r.end - r.pos);
}

static int skip_space(const char *src, int i, int end)
{
	while (i < end && isspace((unsigned char)src[i]))
		i++;
	return i;
}

/* Index just past the literal starting at src[i] (a quote), or -1 when unterminated. */
static int skip_literal(const char *src, int i, int end)
{
	char q = src[i++];

	while (i < end && src[i] != q) {
		if (src[i] == '\\' && i + 1 < end)
			i++;
		i++;
	}
	return i < end ? i + 1 : -1;
}

/* The ')' matching the '(' at src[i], skipping literals; -1 when unbalanced. */
static int matching_paren(const char *src, int i, int end)
{
	int depth = 0;

	while (i < end) {
		if (src[i] == '"' || src[i] == '\'') {
			i = skip_literal(src, i, end);
			if (i < 0)
				return -1;
			continue;
		}
		if (src[i] == '(')
			depth++;
		else if (src[i] == ')' && --depth == 0)
			return i;
		i++;
	}
	return -1;
}

/* Splits [pos, end) at `sep` outside parentheses and literals. */
static int split_top(const char *src, struct range r, char sep, struct range *out, int max)
{
	int n = 0, depth = 0, start = r.pos;

	for (int i = r.pos; i < r.end;) {
		char c = src[i];

		if (c == '"' || c == '\'') {
			int j = skip_literal(src, i, r.end);

			i = j < 0 ? r.end : j;
			continue;
		}
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == sep && depth == 0) {
			if (n == max)
				return max + 1;
			out[n++] = (struct range){ start, i };
			start = i + 1;
		}
		i++;
	}
	if (n == max)
		return max + 1;
	out[n++] = (struct range){ start, r.end };
	return n;
}

static struct range trim(const char *src, struct range r)
{
	while (r.pos < r.end && isspace((unsigned char)src[r.pos]))
		r.pos++;
	while (r.end > r.pos && isspace((unsigned char)src[r.end - 1]))
		r.end--;
	return r;
}

/* "func+0x12" / "func+18": BCC's offset syntax. */
static int parse_offset(struct probe_spec *s, struct range *fn, struct probe_diag *d)
{
	const char *src = s->text;
	const char *plus = memchr(src + fn->pos, '+', fn->end - fn->pos);
	struct range num;
	char *text, *endp;

	if (!plus)
		return 0;
	num = (struct range){ plus - src + 1, fn->end };
	text = slice(s, num);
	errno = 0;
	s->target.offset = strtoull(text, &endp, strchr(text, 'x') || strchr(text, 'X') ? 16 : 10);
	if (!*text || *endp || errno)
		return probe_error_at(d, src, num.pos, num.end,
			       "invalid offset format '%s', must be decimal or hexadecimal", text);
	fn->end = plus - src;
	return 0;
}

static int set_function(struct probe_spec *s, struct range fn, struct probe_diag *d, const char *what)
{
	if (fn.end <= fn.pos)
		return probe_error_at(d, s->text, fn.pos, fn.pos + 1, "missing %s", what);
	s->target.function = slice(s, fn);
	return 0;
}

/* trace's probe specifier: 'func', 'lib:func', 'type:lib:func', 't:cat:event',
 * 'u:lib[:provider]:probe'. Empty type means 'p', as in BCC. */
static int parse_trace_target(struct probe_spec *s, struct range r, struct probe_diag *d)
{
	struct range parts[16];
	int n = split_top(s->text, r, ':', parts, 16);
	struct probe_target *t = &s->target;
	const char *src = s->text;

	if (n > 16)
		return probe_error_at(d, src, r.pos, r.end, "too many ':'-separated parts");
	if (n == 1) {
		t->type = 'p';
		if (parse_offset(s, &parts[0], d))
			return -1;
		return set_function(s, parts[0], d, "function name");
	}
	if (n == 2) {
		t->type = 'p';
		t->library = slice(s, parts[0]);
		if (parse_offset(s, &parts[1], d))
			return -1;
		t->user = t->library[0] != '\0';
		return set_function(s, parts[1], d, "function name");
	}
	if (parts[0].end == parts[0].pos)
		t->type = 'p';
	else if (parts[0].end - parts[0].pos == 1 && strchr("prtu", src[parts[0].pos]))
		t->type = src[parts[0].pos];
	else
		return probe_error_at(d, src, parts[0].pos, parts[0].end,
			       "probe type must be '', 'p', 't', 'r', or 'u', but got '%s'", slice(s, parts[0]));
	if (t->type == 't') {
		if (n != 3)
			return probe_error_at(d, src, r.pos, r.end, "a tracepoint is 't:category:event'");
		if (parts[1].end == parts[1].pos)
			return probe_error_at(d, src, parts[1].pos, parts[1].pos + 1, "missing tracepoint category");
		t->category = slice(s, parts[1]);
		return set_function(s, parts[2], d, "tracepoint event name");
	}
	if (t->type == 'u') {
		if (n > 4)
			return probe_error_at(d, src, r.pos, r.end, "a USDT probe is 'u:library[:provider]:probe'");
		t->library = slice(s, parts[1]);
		if (!t->library[0])
			return probe_error_at(d, src, parts[1].pos, parts[1].pos + 1, "USDT probes need a library or executable");
		t->user = true;
		if (n == 4)
			t->provider = slice(s, parts[2]);
		return set_function(s, parts[n - 1], d, "USDT probe name");
	}
	/* p/r: everything between the first and the last ':' is the library */
	t->library = arena_strndup(&s->arena, src + parts[1].pos, parts[n - 2].end - parts[1].pos);
	t->user = t->library[0] != '\0';
	if (parse_offset(s, &parts[n - 1], d))
		return -1;
	return set_function(s, parts[n - 1], d, "function name");
}

static int parse_signature(struct probe_spec *s, struct range r, struct probe_diag *d)
{
	s->has_signature = true;
	return parse_params_range(&s->arena, s->text, r.pos, r.end, d, &s->params, &s->nparams);
}

/* ---- trace format strings ------------------------------------------------------------------- */
/* Conversions of the decoded format; `exact` when the literal had no escapes, so decoded index
 * i is at source fmt_pos + 1 + i. */
static int parse_format(struct probe_spec *s, int fmt_pos, int fmt_end, bool exact,
			struct fmt_conv **out, int *count, struct probe_diag *d)
{
	const char *f = s->format;
	int n = 0, cap = 0;
	struct fmt_conv *convs = NULL;

	for (int i = 0; f[i]; i++) {
		struct fmt_conv c = {0};
		int start = i, k = 0;

		if (f[i] != '%')
			continue;
		if (f[i + 1] == '%') {
			i++;
			continue;
		}
		c.pos = exact ? fmt_pos + 1 + i : fmt_pos;
		i++;
		while (f[i] && strchr("-+ #0", f[i]))
			i++;
		if (f[i] == '*')
			return probe_error_at(d, s->text, exact ? fmt_pos + 1 + i : fmt_pos, exact ? fmt_pos + 2 + i : fmt_end,
				       "'*' field widths are not supported");
		/* Width and precision are bounded here: a traced event must not make bcct format a
		 * gigabyte of padding (%-999999999d) per line. */
		for (int digits = i, field = 0; field < 2; field++) {
			long v = 0;

			while (isdigit((unsigned char)f[i]) && v <= PROBE_FMT_WIDTH_MAX)
				v = v * 10 + (f[i++] - '0');
			if (v > PROBE_FMT_WIDTH_MAX || isdigit((unsigned char)f[i])) {
				while (isdigit((unsigned char)f[i]))
					i++;       /* underline the whole number */
				return probe_error_at(d, s->text, exact ? fmt_pos + 1 + digits : fmt_pos,
						      exact ? fmt_pos + 1 + i : fmt_end,
						      "field width or precision above %d", PROBE_FMT_WIDTH_MAX);
			}
			if (field || f[i] != '.')
				break;
			digits = ++i;
		}
		while (f[i] && strchr("hlzjt", f[i]) && k < 2)
			c.length[k++] = f[i++];
		c.conv = f[i];
		c.end = exact ? fmt_pos + 2 + i : fmt_end;
		if (!f[i] || !strchr("diuxXocspKU", f[i]) || i - start >= (int)sizeof(c.spec) ||
		    !(!strcmp(c.length, "") || !strcmp(c.length, "h") || !strcmp(c.length, "hh") ||
		      !strcmp(c.length, "l") || !strcmp(c.length, "ll") || !strcmp(c.length, "z") ||
		      !strcmp(c.length, "j") || !strcmp(c.length, "t")))
			return probe_error_at(d, s->text, c.pos, c.end,
				       "unsupported conversion '%.*s' (supported: %%d %%i %%u %%x %%X %%o with h/hh/l/ll/z, %%c %%s %%p %%K %%U)",
				       f[i] ? i - start + 1 : i - start, f + start);
		if (c.length[0] && strchr("cspKU", c.conv))
			return probe_error_at(d, s->text, c.pos, c.end, "'%%%c' takes no length modifier", c.conv);
		memcpy(c.spec, f + start, i - start + 1);
		if (n == cap) {
			struct fmt_conv *bigger = arena_alloc(&s->arena, (cap = cap ? cap * 2 : 8) * sizeof(c));

			if (n)
				memcpy(bigger, convs, n * sizeof(c));
			convs = bigger;
		}
		convs[n++] = c;
	}
	*out = convs;
	*count = n;
	return 0;
}

struct probe_spec *probe_parse_trace(const char *text, struct probe_diag *d)
{
	struct probe_spec *s = new_spec(text, PROBE_TOOL_TRACE);
	const char *src;
	int len, i, spec_start;
	struct fmt_conv *convs = NULL;
	struct node **args = NULL;
	int nconvs = 0, nargs = 0;

	if (!s) {
		probe_error_at(d, NULL, 0, 0, "out of memory");
		return NULL;
	}
	src = s->text;
	len = strlen(src);
	i = spec_start = skip_space(src, 0, len);
	while (i < len && !isspace((unsigned char)src[i]) && src[i] != '(')
		i++;
	if (i == spec_start) {
		probe_error_at(d, src, spec_start, spec_start + 1, "expected a probe specifier");
		goto fail;
	}
	if (parse_trace_target(s, (struct range){ spec_start, i }, d))
		goto fail;
	if (i < len && src[i] == '(') {
		int close = matching_paren(src, i, len);

		if (close < 0) {
			probe_error_at(d, src, i, len, "unmatched '(' in the function signature");
			goto fail;
		}
		if (s->target.type == 't' || s->target.type == 'u') {
			probe_error_at(d, src, i, close + 1, "USDT and tracepoint probes can't have a function signature; "
				"use %s instead", s->target.type == 't' ? "args->field" : "arg1, arg2, ...");
			goto fail;
		}
		if (parse_signature(s, (struct range){ i + 1, close }, d))
			goto fail;
		i = close + 1;
	}
	i = skip_space(src, i, len);
	if (i < len && src[i] == '(') {
		int close = matching_paren(src, i, len);

		if (close < 0) {
			probe_error_at(d, src, i, len, "unmatched end of predicate");
			goto fail;
		}
		s->filter = parse_expr_range(&s->arena, src, i + 1, close, d);
		if (!s->filter)
			goto fail;
		i = skip_space(src, close + 1, len);
	}
	if (i < len) {
		struct token *toks;
		int ntoks, fmt_end;

		if (src[i] != '"') {
			probe_error_at(d, src, i, i + 1, "expected a format string in double quotes");
			goto fail;
		}
		fmt_end = skip_literal(src, i, len);
		if (fmt_end < 0) {
			probe_error_at(d, src, i, len, "unterminated format string");
			goto fail;
		}
		if (lex_tokens(src, i, fmt_end, &s->arena, d, &toks, &ntoks))
			goto fail;
		s->format = toks[0].str;
		s->format_pos = i;
		s->format_end = fmt_end;
		if (parse_format(s, i, fmt_end, (size_t)(fmt_end - i - 2) == toks[0].slen, &convs, &nconvs, d))
			goto fail;
		i = skip_space(src, fmt_end, len);
		if (i < len) {
			if (src[i] != ',') {
				probe_error_at(d, src, i, i + 1, "expected ',' after the format string");
				goto fail;
			}
			if (parse_expr_list_range(&s->arena, src, i + 1, len, d, &args, &nargs))
				goto fail;
			if (!nargs) {
				probe_error_at(d, src, i, i + 1, "expected arguments after ','");
				goto fail;
			}
		}
		if (nargs != nconvs) {
			if (nargs > nconvs)
				probe_error_at(d, src, args[nconvs]->pos, args[nconvs]->end,
					"more arguments than conversions in the format string (%d conversion%s, %d arguments)",
					nconvs, nconvs == 1 ? "" : "s", nargs);
			else
				probe_error_at(d, src, nconvs ? convs[nargs].pos : s->format_pos,
					nconvs ? convs[nargs].end : s->format_end,
					"no argument for this conversion (%d conversions, %d argument%s)", nconvs, nargs,
					nargs == 1 ? "" : "s");
			goto fail;
		}
		s->values = arena_alloc(&s->arena, (nargs ? nargs : 1) * sizeof(*s->values));
		s->nvalues = nargs;
		for (int k = 0; k < nargs; k++) {
			s->values[k].expr = args[k];
			s->values[k].conv = convs[k];
			s->values[k].is_string = convs[k].conv == 's';
		}
	}
	return s;
fail:
	probe_spec_free(s);
	return NULL;
}

/* ---- call-chain frames (inject) ----------------------------------------------------------- */
struct probe_spec *probe_parse_frame(const char *text, struct node ***preds, int *npreds,
				     struct probe_diag *d)
{
	struct probe_spec *s = new_spec(text, PROBE_TOOL_TRACE);
	const char *src;
	int len, i, open, close, cap = 0;

	if (!s) {
		probe_error_at(d, NULL, 0, 0, "out of memory");
		return NULL;
	}
	*preds = NULL;
	*npreds = 0;
	src = s->text;
	len = strlen(src);
	s->target.type = 'p';
	i = skip_space(src, 0, len);
	open = i;
	while (open < len && src[open] != '(')
		open++;
	close = open < len ? matching_paren(src, open, len) : -1;
	if (close < 0) {
		probe_error_at(d, src, i, len, "expected 'function(signature)'");
		goto fail;
	}
	if (set_function(s, (struct range){ i, open }, d, "function name") ||
	    parse_signature(s, (struct range){ open + 1, close }, d))
		goto fail;
	for (i = skip_space(src, close + 1, len); i < len; i = skip_space(src, close + 1, len)) {
		close = src[i] == '(' ? matching_paren(src, i, len) : -1;
		if (close < 0) {
			probe_error_at(d, src, i, len, "expected a predicate in parentheses");
			goto fail;
		}
		if (*npreds == cap) {
			struct node **bigger = arena_alloc(&s->arena, (cap = cap ? 2 * cap : 4) * sizeof(*bigger));

			if (*npreds)
				memcpy(bigger, *preds, *npreds * sizeof(*bigger));
			*preds = bigger;
		}
		(*preds)[*npreds] = parse_expr_range(&s->arena, src, i + 1, close, d);
		if (!(*preds)[(*npreds)++])
			goto fail;
	}
	return s;
fail:
	probe_spec_free(s);
	return NULL;
}

/* ---- argdist ---------------------------------------------------------------------------------- */
static bool is_string_type(const struct typename *tn)
{
	return tn->base == TN_BUILTIN && tn->pointers == 1 &&
	       (tn->builtin == BT_CHAR || tn->builtin == BT_SCHAR || tn->builtin == BT_UCHAR);
}

static struct node *synthetic(struct probe_spec *s, enum node_kind kind, struct range at)
{
	struct node *n = arena_alloc(&s->arena, sizeof(*n));

	n->kind = kind;
	n->pos = at.pos;
	n->end = at.end;
	return n;
}

struct probe_spec *probe_parse_argdist(const char *text, bool histogram, struct probe_diag *d)
{
	struct probe_spec *s = new_spec(text, PROBE_TOOL_ARGDIST);
	struct probe_target *t;
	struct range whole, parts[8], fn;
	const char *src, *hash;
	int n, open, close;

	if (!s) {
		probe_error_at(d, NULL, 0, 0, "out of memory");
		return NULL;
	}
	t = &s->target;
	src = s->text;
	s->histogram = histogram;
	whole = trim(src, (struct range){ 0, (int)strlen(src) });
	/* BCC: everything after '#' is the label */
	hash = memchr(src + whole.pos, '#', whole.end - whole.pos);
	if (hash) {
		t->label = arena_strndup(&s->arena, hash + 1, src + whole.end - hash - 1);
		whole.end = hash - src;
		whole = trim(src, whole);
	}
	n = split_top(src, whole, ':', parts, 6);
	if (n < 3) {
		probe_error_at(d, src, whole.pos, whole.end > whole.pos ? whole.end : whole.pos + 1,
			"at least the probe type, library, and function signature must be specified");
		goto fail;
	}
	if (n > 6) {
		probe_error_at(d, src, whole.pos, whole.end, "extraneous ':'-separated parts detected");
		goto fail;
	}
	if (parts[0].end - parts[0].pos != 1 || !strchr("prtu", src[parts[0].pos])) {
		probe_error_at(d, src, parts[0].pos, parts[0].end > parts[0].pos ? parts[0].end : parts[0].pos + 1,
			"probe type must be 'p', 'r', 't', or 'u' but got '%s'", slice(s, parts[0]));
		goto fail;
	}
	t->type = src[parts[0].pos];
	fn = trim(src, parts[2]);
	open = fn.pos;
	while (open < fn.end && (isalnum((unsigned char)src[open]) || src[open] == '_'))
		open++;
	close = open < fn.end && src[open] == '(' ? matching_paren(src, open, fn.end) : -1;
	if (open == fn.pos || close != fn.end - 1) {
		probe_error_at(d, src, fn.pos, fn.end > fn.pos ? fn.end : fn.pos + 1,
			"function signature '%s' has an invalid format (expected name(signature))", slice(s, fn));
		goto fail;
	}
	t->function = arena_strndup(&s->arena, src + fn.pos, open - fn.pos);
	if (t->type == 't') {
		t->category = slice(s, parts[1]);
		if (!t->category[0]) {
			probe_error_at(d, src, parts[1].pos, parts[1].pos + 1, "missing tracepoint category");
			goto fail;
		}
	} else {
		t->library = slice(s, parts[1]);
		t->user = t->library[0] != '\0';
		if (t->type == 'u' && !t->user) {
			probe_error_at(d, src, parts[1].pos, parts[1].pos + 1, "USDT probes need a library or executable");
			goto fail;
		}
	}
	if (parse_signature(s, (struct range){ open + 1, close }, d))
		goto fail;
	if ((t->type == 't' || t->type == 'u') && s->nparams) {
		probe_error_at(d, src, open, close + 1, "USDT and tracepoint probes can't have a function signature; "
			"use %s instead", t->type == 't' ? "args->field" : "arg1, arg2, ...");
		goto fail;
	}
	if (n == 4) {
		probe_error_at(d, src, parts[3].pos, parts[3].end > parts[3].pos ? parts[3].end : parts[3].pos + 1,
			"types given without expressions (expected ':type:expr')");
		goto fail;
	}
	if (n < 5) {
		/* BCC: count calls ("1"), or the return value of a return probe */
		struct value_spec *v;

		if (histogram && t->type != 'r') {
			probe_error_at(d, src, whole.pos, whole.end, "histograms must have expr");
			goto fail;
		}
		s->default_expr = true;
		v = s->values = arena_alloc(&s->arena, sizeof(*v));
		s->nvalues = 1;
		v->tn = arena_alloc(&s->arena, sizeof(*v->tn));
		v->tn->base = TN_BUILTIN;
		v->tn->pos = fn.pos;
		v->tn->end = fn.end;
		if (t->type == 'r') {
			v->tn->builtin = BT_INT;
			v->expr = synthetic(s, N_VAR, fn);
			v->expr->name = "retval";
		} else {
			v->tn->builtin = BT_ULLONG;   /* BCC's u64 */
			v->expr = synthetic(s, N_INT, fn);
			v->expr->ival = 1;
			v->expr->decimal = true;
		}
		return s;
	} else {
		struct range types[16];
		struct node **exprs;
		int ntypes = split_top(src, parts[3], ',', types, 16), nexprs;

		if (ntypes > 16) {
			probe_error_at(d, src, parts[3].pos, parts[3].end, "too many types");
			goto fail;
		}
		if (parse_expr_list_range(&s->arena, src, parts[4].pos, parts[4].end, d, &exprs, &nexprs))
			goto fail;
		if (!nexprs) {
			probe_error_at(d, src, parts[4].pos, parts[4].pos + 1, "no exprs specified");
			goto fail;
		}
		if (nexprs != ntypes) {
			probe_error_at(d, src, parts[3].pos, parts[4].end, "mismatched # of exprs and types (%d types, %d exprs)",
				ntypes, nexprs);
			goto fail;
		}
		if (histogram && nexprs > 1) {
			probe_error_at(d, src, parts[4].pos, parts[4].end, "histograms can only have 1 expr");
			goto fail;
		}
		s->values = arena_alloc(&s->arena, nexprs * sizeof(*s->values));
		s->nvalues = nexprs;
		for (int k = 0; k < nexprs; k++) {
			struct range tr = trim(src, types[k]);

			if (tr.end == tr.pos) {
				probe_error_at(d, src, types[k].pos, types[k].pos + 1, "missing type");
				goto fail;
			}
			s->values[k].tn = parse_typename_range(&s->arena, src, tr.pos, tr.end, d);
			if (!s->values[k].tn)
				goto fail;
			s->values[k].expr = exprs[k];
			s->values[k].is_string = is_string_type(s->values[k].tn);
		}
	}
	if (n == 6 && trim(src, parts[5]).end > trim(src, parts[5]).pos) {
		s->filter = parse_expr_range(&s->arena, src, parts[5].pos, parts[5].end, d);
		if (!s->filter)
			goto fail;
	}
	return s;
fail:
	probe_spec_free(s);
	return NULL;
}

bool probe_spec_has_format(const struct probe_spec *s)
{
	return s->format && *s->format;
}

bool probe_spec_default_expr(const struct probe_spec *s)
{
	return s->default_expr;
}
