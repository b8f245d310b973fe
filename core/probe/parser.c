/* Expressions by precedence climbing, C type names, and parameter declarations (signatures).
 * The grammar is C's expression grammar without assignment and comma operators, plus $name
 * variables, $entry(name), STRCMP("literal", expr) and the @user suffix. */
#include <string.h>
#include "core/probe/internal.h"

#define MAX_NESTING 100   /* deeper than any real probe; keeps fuzzed input off the C stack */

struct parser {
	struct arena *a;
	const char *src;
	struct token *t;
	int i, n;
	int depth;
	struct probe_diag *d;
};

static const struct token *peek(struct parser *P, int ahead)
{
	int k = P->i + ahead;

	if (k < 0)
		k = 0;
	return &P->t[k < P->n ? k : P->n - 1];
}

static const struct token *next(struct parser *P)
{
	const struct token *t = peek(P, 0);

	if (P->i < P->n - 1)
		P->i++;
	return t;
}

static bool accept(struct parser *P, enum tok k)
{
	if (peek(P, 0)->kind != k)
		return false;
	next(P);
	return true;
}

static int error_at_token(struct parser *P, const struct token *t, const char *what)
{
	if (t->kind == T_EOF)
		return probe_error_at(P->d, P->src, t->pos, t->pos + 1, "%s, found the end of the expression", what);
	return probe_error_at(P->d, P->src, t->pos, t->end, "%s, found %s", what,
		       t->kind == T_IDENT ? arena_printf(P->a, "'%s'", t->text) : tok_name(t->kind));
}

static int expect(struct parser *P, enum tok k, const char *context)
{
	if (accept(P, k))
		return 0;
	return error_at_token(P, peek(P, 0), arena_printf(P->a, "expected %s %s", tok_name(k), context));
}

static struct node *new_node(struct parser *P, enum node_kind kind, int pos, int end)
{
	struct node *n = arena_alloc(P->a, sizeof(*n));

	n->kind = kind;
	n->pos = pos;
	n->end = end;
	return n;
}

/* ---- type names ---------------------------------------------------------------------------- */
static bool is_qualifier(const char *s)
{
	static const char *const q[] = { "const", "volatile", "restrict", "__restrict", "__user",
		"__kernel", "__rcu", "__force", "__iomem", "__percpu", NULL };

	for (int i = 0; q[i]; i++)
		if (!strcmp(s, q[i]))
			return true;
	return false;
}

static bool is_type_keyword(const char *s)
{
	static const char *const k[] = { "struct", "union", "enum", "void", "char", "short",
		"int", "long", "signed", "unsigned", "_Bool", NULL };

	for (int i = 0; k[i]; i++)
		if (!strcmp(s, k[i]))
			return true;
	return is_qualifier(s);
}

/* Can the token at `ahead` begin a type name for sure (keyword or a well-known typedef)? */
static bool starts_typename(struct parser *P, int ahead)
{
	const struct token *t = peek(P, ahead);

	return t->kind == T_IDENT && (is_type_keyword(t->text) || ct_is_builtin_name(t->text));
}

static void skip_qualifiers(struct parser *P, struct typename *tn)
{
	while (peek(P, 0)->kind == T_IDENT && is_qualifier(peek(P, 0)->text)) {
		if (!strcmp(next(P)->text, "__user"))
			tn->user = true;
	}
}

static struct typename *parse_typename(struct parser *P)
{
	struct typename *tn = arena_alloc(P->a, sizeof(*tn));
	const struct token *t;
	int nsigned = 0, nunsigned = 0, nchar = 0, nshort = 0, nint = 0, nlong = 0, nvoid = 0, nbool = 0;
	bool any = false;

	tn->pos = peek(P, 0)->pos;
	skip_qualifiers(P, tn);
	t = peek(P, 0);
	if (t->kind != T_IDENT) {
		error_at_token(P, t, "expected a type name");
		return NULL;
	}
	if (!strcmp(t->text, "struct") || !strcmp(t->text, "union") || !strcmp(t->text, "enum")) {
		tn->base = t->text[0] == 's' ? TN_STRUCT : t->text[0] == 'u' ? TN_UNION : TN_ENUM;
		next(P);
		t = peek(P, 0);
		if (t->kind != T_IDENT || is_type_keyword(t->text)) {
			error_at_token(P, t, arena_printf(P->a, "expected a name after '%s'",
				       tn->base == TN_STRUCT ? "struct" : tn->base == TN_UNION ? "union" : "enum"));
			return NULL;
		}
		tn->name = next(P)->text;
	} else {
		for (;;) {
			t = peek(P, 0);
			if (t->kind != T_IDENT)
				break;
			if (!strcmp(t->text, "signed")) nsigned++;
			else if (!strcmp(t->text, "unsigned")) nunsigned++;
			else if (!strcmp(t->text, "char")) nchar++;
			else if (!strcmp(t->text, "short")) nshort++;
			else if (!strcmp(t->text, "int")) nint++;
			else if (!strcmp(t->text, "long")) nlong++;
			else if (!strcmp(t->text, "void")) nvoid++;
			else if (!strcmp(t->text, "_Bool")) nbool++;
			else if (is_qualifier(t->text)) { skip_qualifiers(P, tn); continue; }
			else break;
			any = true;
			next(P);
		}
		if (!any) {
			if (t->kind != T_IDENT || is_type_keyword(t->text)) {
				error_at_token(P, t, "expected a type name");
				return NULL;
			}
			tn->base = TN_TYPEDEF;
			tn->name = next(P)->text;
		} else {
			bool u = nunsigned > 0;

			tn->base = TN_BUILTIN;
			if (nsigned + nunsigned > 1 || nlong > 2 || nint > 1 || nchar > 1 || nshort > 1 ||
			    (nvoid && (nvoid > 1 || nsigned || nunsigned || nchar || nshort || nint || nlong)) ||
			    (nbool && (nbool > 1 || nsigned || nunsigned || nchar || nshort || nint || nlong)) ||
			    (nchar && (nshort || nint || nlong)) || (nshort && nlong)) {
				probe_error_at(P->d, P->src, tn->pos, peek(P, -1)->end, "invalid combination of type specifiers");
				return NULL;
			}
			if (nvoid) tn->builtin = BT_VOID;
			else if (nbool) tn->builtin = BT_BOOL;
			else if (nchar) tn->builtin = nunsigned ? BT_UCHAR : nsigned ? BT_SCHAR : BT_CHAR;
			else if (nshort) tn->builtin = u ? BT_USHORT : BT_SHORT;
			else if (nlong == 1) tn->builtin = u ? BT_ULONG : BT_LONG;
			else if (nlong == 2) tn->builtin = u ? BT_ULLONG : BT_LLONG;
			else tn->builtin = u ? BT_UINT : BT_INT;
		}
	}
	skip_qualifiers(P, tn);
	while (peek(P, 0)->kind == T_STAR) {
		next(P);
		tn->pointers++;
		skip_qualifiers(P, tn);
	}
	tn->end = peek(P, -1)->end;
	return tn;
}

/* ---- expressions --------------------------------------------------------------------------- */
static struct node *parse_expr(struct parser *P);
static struct node *parse_unary(struct parser *P);

static int binary_precedence(enum tok k)
{
	switch (k) {
	case T_OROR: return 1;
	case T_ANDAND: return 2;
	case T_PIPE: return 3;
	case T_CARET: return 4;
	case T_AMP: return 5;
	case T_EQ: case T_NE: return 6;
	case T_LT: case T_LE: case T_GT: case T_GE: return 7;
	case T_SHL: case T_SHR: return 8;
	case T_PLUS: case T_MINUS: return 9;
	case T_STAR: case T_SLASH: case T_PERCENT: return 10;
	default: return 0;
	}
}

static bool enter(struct parser *P)
{
	if (++P->depth > MAX_NESTING) {
		const struct token *t = peek(P, 0);

		probe_error_at(P->d, P->src, t->pos, t->end, "expression nested too deeply");
		return false;
	}
	return true;
}

static struct node *parse_call_args(struct parser *P, struct node *call)
{
	struct node *args[8];
	int n = 0;

	next(P);   /* ( */
	if (!accept(P, T_RPAREN)) {
		do {
			struct node *arg;

			if (n == 8) {
				probe_error_at(P->d, P->src, peek(P, 0)->pos, peek(P, 0)->end,
					"too many arguments to %s (at most 8)", call->name);
				return NULL;
			}
			arg = parse_expr(P);
			if (!arg)
				return NULL;
			args[n++] = arg;
		} while (accept(P, T_COMMA));
		if (expect(P, T_RPAREN, arena_printf(P->a, "after the arguments of %s", call->name)))
			return NULL;
	}
	call->args = arena_alloc(P->a, (n ? n : 1) * sizeof(*call->args));
	memcpy(call->args, args, n * sizeof(*args));
	call->nargs = n;
	call->end = peek(P, -1)->end;
	return call;
}

static struct node *parse_primary(struct parser *P)
{
	const struct token *t = peek(P, 0);
	struct node *n;

	switch (t->kind) {
	case T_INT:
	case T_CHAR:
		next(P);
		n = new_node(P, N_INT, t->pos, t->end);
		n->ival = t->ival;
		n->u_suffix = t->u_suffix;
		n->l_suffix = t->l_suffix;
		n->decimal = t->decimal;
		n->is_char = t->kind == T_CHAR;
		return n;
	case T_STRING:
		next(P);
		n = new_node(P, N_STRING, t->pos, t->end);
		n->str = t->str;
		n->slen = t->slen;
		/* adjacent literals concatenate, as in C */
		while (peek(P, 0)->kind == T_STRING) {
			const struct token *more = next(P);
			char *s = arena_alloc(P->a, n->slen + more->slen + 1);

			memcpy(s, n->str, n->slen);
			memcpy(s + n->slen, more->str, more->slen);
			n->str = s;
			n->slen += more->slen;
			n->end = more->end;
		}
		return n;
	case T_IDENT:
		if (is_type_keyword(t->text) && strcmp(t->text, "sizeof")) {
			error_at_token(P, t, "expected an expression (a cast needs parentheses)");
			return NULL;
		}
		next(P);
		if (peek(P, 0)->kind == T_LPAREN) {
			n = new_node(P, N_CALL, t->pos, t->end);
			n->name = t->text;
			return parse_call_args(P, n);
		}
		n = new_node(P, N_IDENT, t->pos, t->end);
		n->name = t->text;
		return n;
	case T_VAR:
		next(P);
		if (peek(P, 0)->kind == T_LPAREN) {
			n = new_node(P, N_CALL, t->pos, t->end);
			n->name = arena_printf(P->a, "$%s", t->text);
			return parse_call_args(P, n);
		}
		n = new_node(P, N_VAR, t->pos, t->end);
		n->name = t->text;
		return n;
	case T_LPAREN: {
		int pos = t->pos;

		next(P);
		n = parse_expr(P);
		if (!n || expect(P, T_RPAREN, "to close '('"))
			return NULL;
		/* keep the parentheses in the range so quoted sub-expressions read naturally */
		n->pos = pos;
		n->end = peek(P, -1)->end;
		return n;
	}
	default:
		error_at_token(P, t, "expected an expression");
		return NULL;
	}
}

static struct node *parse_postfix(struct parser *P)
{
	struct node *n = parse_primary(P);

	while (n) {
		const struct token *t = peek(P, 0);
		struct node *m;

		if (t->kind == T_ARROW || t->kind == T_DOT) {
			const struct token *name;

			next(P);
			name = peek(P, 0);
			if (name->kind != T_IDENT) {
				error_at_token(P, name, arena_printf(P->a, "expected a field name after %s",
								     tok_name(t->kind)));
				return NULL;
			}
			next(P);
			m = new_node(P, N_MEMBER, n->pos, name->end);
			m->op = t->kind;
			m->a = n;
			m->name = name->text;
			n = m;
		} else if (t->kind == T_LBRACKET) {
			next(P);
			m = new_node(P, N_INDEX, n->pos, 0);
			m->a = n;
			m->b = parse_expr(P);
			if (!m->b || expect(P, T_RBRACKET, "to close '['"))
				return NULL;
			m->end = peek(P, -1)->end;
			n = m;
		} else if (t->kind == T_AT) {
			next(P);
			if (strcmp(t->text, "user")) {
				probe_error_at(P->d, P->src, t->pos, t->end, "unknown suffix '@%s' (only @user exists)", t->text);
				return NULL;
			}
			m = new_node(P, N_USER, n->pos, t->end);
			m->a = n;
			m->name = t->text;
			n = m;
		} else {
			break;
		}
	}
	return n;
}

/* Is the '(' at peek(0) the start of a cast? C decides with the typedef table; we know the
 * keywords and common typedefs, and otherwise use what can follow ')' (see ARCHITECTURE). */
static bool at_cast(struct parser *P)
{
	int k = 1;
	enum tok after;

	if (peek(P, 0)->kind != T_LPAREN)
		return false;
	if (starts_typename(P, 1))
		return true;
	if (peek(P, 1)->kind != T_IDENT)
		return false;
	k = 2;
	while (peek(P, k)->kind == T_STAR)
		k++;
	if (peek(P, k)->kind != T_RPAREN)
		return false;
	if (k > 2)
		return true;            /* "(foo *)": never an expression */
	after = peek(P, 3)->kind;  /* "(foo) x": a parenthesised expression cannot be followed by x */
	return after == T_IDENT || after == T_INT || after == T_CHAR || after == T_VAR ||
	       after == T_LPAREN || after == T_TILDE || after == T_BANG;
}

static struct node *parse_unary(struct parser *P)
{
	const struct token *t = peek(P, 0);
	struct node *n = NULL;

	if (!enter(P))
		return NULL;
	switch (t->kind) {
	case T_MINUS: case T_PLUS: case T_BANG: case T_TILDE: case T_STAR: case T_AMP:
		next(P);
		n = new_node(P, N_UNARY, t->pos, 0);
		n->op = t->kind;
		n->a = parse_unary(P);
		if (!n->a)
			return NULL;
		n->end = n->a->end;
		break;
	case T_LPAREN:
		if (at_cast(P)) {
			next(P);
			n = new_node(P, N_CAST, t->pos, 0);
			n->tn = parse_typename(P);
			if (!n->tn || expect(P, T_RPAREN, "after the type name of a cast"))
				return NULL;
			n->a = parse_unary(P);
			if (!n->a)
				return NULL;
			n->end = n->a->end;
			break;
		}
		n = parse_postfix(P);
		break;
	case T_IDENT:
		if (!strcmp(t->text, "sizeof")) {
			next(P);
			n = new_node(P, N_SIZEOF, t->pos, 0);
			if (peek(P, 0)->kind == T_LPAREN && (starts_typename(P, 1) || at_cast(P))) {
				next(P);
				n->tn = parse_typename(P);
				if (!n->tn || expect(P, T_RPAREN, "after the type name of sizeof"))
					return NULL;
				n->end = peek(P, -1)->end;
			} else {
				n->a = parse_unary(P);
				if (!n->a)
					return NULL;
				n->end = n->a->end;
			}
			break;
		}
		n = parse_postfix(P);
		break;
	default:
		n = parse_postfix(P);
	}
	P->depth--;
	return n;
}

static struct node *parse_binary(struct parser *P, int min_prec)
{
	struct node *left = parse_unary(P);

	while (left) {
		const struct token *op = peek(P, 0);
		int prec = binary_precedence(op->kind);
		struct node *n;

		if (!prec || prec < min_prec)
			break;
		next(P);
		if (!enter(P))
			return NULL;
		n = new_node(P, N_BINARY, left->pos, 0);
		n->op = op->kind;
		n->a = left;
		n->b = parse_binary(P, prec + 1);   /* all binary operators are left-associative */
		P->depth--;
		if (!n->b)
			return NULL;
		n->end = n->b->end;
		left = n;
	}
	return left;
}

static struct node *parse_expr(struct parser *P)
{
	struct node *cond, *n;

	if (!enter(P))
		return NULL;
	cond = parse_binary(P, 1);
	if (!cond || !accept(P, T_QUESTION)) {
		P->depth--;
		return cond;
	}
	n = new_node(P, N_COND, cond->pos, 0);
	n->a = cond;
	n->b = parse_expr(P);
	if (!n->b || expect(P, T_COLON, "in a conditional expression"))
		return NULL;
	n->c = parse_expr(P);
	if (!n->c)
		return NULL;
	n->end = n->c->end;
	P->depth--;
	return n;
}

static int init_parser(struct parser *P, struct arena *a, const char *src, int start, int end,
		       struct probe_diag *d)
{
	memset(P, 0, sizeof(*P));
	P->a = a;
	P->src = src;
	P->d = d;
	return lex_tokens(src, start, end, a, d, &P->t, &P->n);
}

static int expect_end(struct parser *P, const char *what)
{
	const struct token *t = peek(P, 0);

	if (t->kind == T_EOF)
		return 0;
	return probe_error_at(P->d, P->src, t->pos, t->end, "unexpected %s after %s",
		       t->kind == T_IDENT ? arena_printf(P->a, "'%s'", t->text) : tok_name(t->kind), what);
}

struct node *parse_expr_range(struct arena *a, const char *src, int start, int end,
			      struct probe_diag *d)
{
	struct parser P;
	struct node *n;

	if (init_parser(&P, a, src, start, end, d))
		return NULL;
	if (peek(&P, 0)->kind == T_EOF) {
		probe_error_at(d, src, start, end > start ? end : start + 1, "empty expression");
		return NULL;
	}
	n = parse_expr(&P);
	if (!n || expect_end(&P, "the expression"))
		return NULL;
	return n;
}

int parse_expr_list_range(struct arena *a, const char *src, int start, int end,
			  struct probe_diag *d, struct node ***out, int *count)
{
	struct parser P;
	struct node **list = NULL;
	int n = 0, cap = 0;

	*out = NULL;
	*count = 0;
	if (init_parser(&P, a, src, start, end, d))
		return -1;
	if (peek(&P, 0)->kind == T_EOF)
		return 0;
	do {
		struct node *e;

		if (peek(&P, 0)->kind == T_EOF)
			return error_at_token(&P, peek(&P, 0), "expected an expression after ','");
		e = parse_expr(&P);
		if (!e)
			return -1;
		if (n == cap) {
			struct node **bigger = arena_alloc(a, (cap = cap ? 2 * cap : 8) * sizeof(*list));

			if (n)
				memcpy(bigger, list, n * sizeof(*list));
			list = bigger;
		}
		list[n++] = e;
	} while (accept(&P, T_COMMA));
	if (expect_end(&P, "the expression"))
		return -1;
	*out = list;
	*count = n;
	return 0;
}

struct typename *parse_typename_range(struct arena *a, const char *src, int start, int end,
				      struct probe_diag *d)
{
	struct parser P;
	struct typename *tn;

	if (init_parser(&P, a, src, start, end, d))
		return NULL;
	tn = parse_typename(&P);
	if (!tn || expect_end(&P, "the type name"))
		return NULL;
	return tn;
}

/* "struct sock *sk, size_t size" (names optional, "void" alone is no parameter, "char buf[]"
 * is a pointer as in any C parameter list). */
int parse_params_range(struct arena *a, const char *src, int start, int end,
		       struct probe_diag *d, struct param **out, int *count)
{
	struct parser P;
	struct param *params = NULL;
	int n = 0, cap = 0;

	*out = NULL;
	*count = 0;
	if (init_parser(&P, a, src, start, end, d))
		return -1;
	if (peek(&P, 0)->kind == T_EOF)
		return 0;
	if (peek(&P, 0)->kind == T_IDENT && !strcmp(peek(&P, 0)->text, "void") &&
	    peek(&P, 1)->kind == T_EOF)
		return 0;
	do {
		struct param p = {0};

		p.pos = peek(&P, 0)->pos;
		p.tn = parse_typename(&P);
		if (!p.tn)
			return -1;
		if (peek(&P, 0)->kind == T_IDENT && !is_type_keyword(peek(&P, 0)->text))
			p.name = next(&P)->text;
		else if (p.tn->base == TN_TYPEDEF && !p.tn->pointers && !ct_is_builtin_name(p.tn->name)) {
			/* "foo" alone would be a parameter name without a type */
			return probe_error_at(d, src, p.tn->pos, p.tn->end, "parameter '%s' has no type", p.tn->name);
		}
		while (accept(&P, T_LBRACKET)) {
			accept(&P, T_INT);
			if (expect(&P, T_RBRACKET, "in an array parameter"))
				return -1;
			p.tn->pointers++;
		}
		p.end = peek(&P, -1)->end;
		for (int k = 0; k < n && p.name; k++)
			if (params[k].name && !strcmp(params[k].name, p.name))
				return probe_error_at(d, src, p.pos, p.end, "parameter '%s' declared twice", p.name);
		if (n == cap) {
			struct param *bigger = arena_alloc(a, (cap = cap ? 2 * cap : 8) * sizeof(*params));

			if (n)
				memcpy(bigger, params, n * sizeof(*params));
			params = bigger;
		}
		params[n++] = p;
	} while (accept(&P, T_COMMA));
	if (expect_end(&P, "the parameter list"))
		return -1;
	*out = params;
	*count = n;
	return 0;
}
