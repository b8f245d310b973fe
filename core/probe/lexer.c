/* Tokens of BCC's probe expression language: C expressions plus $name (trace/argdist aliases)
 * and @name (the arg2@user suffix). Positions are byte offsets into the whole spec, so a
 * diagnostic can put its caret under the spec as the user typed it. */
#include <ctype.h>
#include <string.h>
#include "core/probe/internal.h"

static const char *const tok_names[T__COUNT] = {
	[T_EOF] = "end of expression", [T_IDENT] = "identifier", [T_INT] = "integer",
	[T_CHAR] = "character", [T_STRING] = "string", [T_VAR] = "$variable", [T_AT] = "@suffix",
	[T_LPAREN] = "'('", [T_RPAREN] = "')'", [T_LBRACKET] = "'['", [T_RBRACKET] = "']'",
	[T_COMMA] = "','", [T_DOT] = "'.'", [T_ARROW] = "'->'", [T_QUESTION] = "'?'",
	[T_COLON] = "':'", [T_PLUS] = "'+'", [T_MINUS] = "'-'", [T_STAR] = "'*'",
	[T_SLASH] = "'/'", [T_PERCENT] = "'%'", [T_AMP] = "'&'", [T_PIPE] = "'|'",
	[T_CARET] = "'^'", [T_TILDE] = "'~'", [T_BANG] = "'!'", [T_SHL] = "'<<'", [T_SHR] = "'>>'",
	[T_LT] = "'<'", [T_LE] = "'<='", [T_GT] = "'>'", [T_GE] = "'>='", [T_EQ] = "'=='",
	[T_NE] = "'!='", [T_ANDAND] = "'&&'", [T_OROR] = "'||'",
};

const char *tok_name(enum tok k)
{
	return k < T__COUNT && tok_names[k] ? tok_names[k] : "token";
}

struct lexer {
	const char *src;
	int pos, end;
	struct arena *a;
	struct probe_diag *d;
};

static bool is_ident_start(int c) { return isalpha(c) || c == '_'; }
static bool is_ident_char(int c) { return isalnum(c) || c == '_'; }

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* One character of a char/string literal at *p (escape sequences decoded). */
static int lex_literal_char(struct lexer *L, int *p, unsigned char *out)
{
	int i = *p, start = i;
	const char *s = L->src;

	if (s[i] != '\\') {
		*out = s[i];
		*p = i + 1;
		return 0;
	}
	if (i + 1 >= L->end)
		return probe_error_at(L->d, L->src, i, i + 1, "unfinished escape sequence");
	i++;
	switch (s[i]) {
	case 'n': *out = '\n'; break;
	case 't': *out = '\t'; break;
	case 'r': *out = '\r'; break;
	case 'a': *out = '\a'; break;
	case 'b': *out = '\b'; break;
	case 'f': *out = '\f'; break;
	case 'v': *out = '\v'; break;
	case 'e': *out = 27; break;
	case '\\': case '\'': case '"': case '?': *out = s[i]; break;
	case 'x': {
		unsigned v = 0;
		int digits = 0;

		while (i + 1 < L->end && hexval(s[i + 1]) >= 0 && digits < 2) {
			v = v * 16 + hexval(s[++i]);
			digits++;
		}
		if (!digits)
			return probe_error_at(L->d, L->src, start, i + 1, "\\x needs hexadecimal digits");
		*out = v;
		break;
	}
	default:
		if (s[i] >= '0' && s[i] <= '7') {
			unsigned v = s[i] - '0';

			for (int k = 0; k < 2 && i + 1 < L->end && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
				v = v * 8 + (s[++i] - '0');
			if (v > 255)
				return probe_error_at(L->d, L->src, start, i + 1, "octal escape out of range");
			*out = v;
			break;
		}
		return probe_error_at(L->d, L->src, start, i + 1, "unknown escape sequence '\\%c'", s[i]);
	}
	*p = i + 1;
	return 0;
}

static int lex_number(struct lexer *L, struct token *t)
{
	const char *s = L->src;
	int i = L->pos, radix = 10;
	uint64_t v = 0;
	bool overflow = false, any = false;

	if (s[i] == '0' && i + 1 < L->end && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		radix = 16;
		i += 2;
	} else if (s[i] == '0') {
		radix = 8;
	}
	for (; i < L->end; i++) {
		int dv = hexval(s[i]);

		if (dv < 0 || dv >= radix) {
			if (radix == 8 && (s[i] == '8' || s[i] == '9'))
				return probe_error_at(L->d, L->src, L->pos, i + 1, "invalid digit '%c' in octal number", s[i]);
			break;
		}
		if (v > (UINT64_MAX - dv) / radix)
			overflow = true;
		v = v * radix + dv;
		any = true;
	}
	if (!any)
		return probe_error_at(L->d, L->src, L->pos, i, "hexadecimal number without digits");
	t->u_suffix = false;
	t->l_suffix = 0;
	while (i < L->end && strchr("uUlL", s[i])) {
		if (s[i] == 'u' || s[i] == 'U') {
			if (t->u_suffix)
				return probe_error_at(L->d, L->src, L->pos, i + 1, "invalid integer suffix");
			t->u_suffix = true;
		} else if (++t->l_suffix > 2) {
			return probe_error_at(L->d, L->src, L->pos, i + 1, "invalid integer suffix");
		}
		i++;
	}
	if (i < L->end && is_ident_char(s[i]))
		return probe_error_at(L->d, L->src, L->pos, i + 1, "invalid character '%c' in number", s[i]);
	if (overflow)
		return probe_error_at(L->d, L->src, L->pos, i, "integer literal is too large");
	t->kind = T_INT;
	t->ival = v;
	t->decimal = radix == 10;
	L->pos = i;
	return 0;
}

static int lex_quoted(struct lexer *L, struct token *t, char quote)
{
	int i = L->pos + 1, n = 0;
	/* decoded text is never longer than the source */
	char *buf = arena_alloc(L->a, L->end - L->pos + 1);

	while (i < L->end && L->src[i] != quote) {
		unsigned char c = 0;

		if (L->src[i] == '\n')
			break;
		if (lex_literal_char(L, &i, &c))
			return -1;
		buf[n++] = c;
	}
	if (i >= L->end || L->src[i] != quote)
		return probe_error_at(L->d, L->src, L->pos, i, quote == '"' ? "unterminated string" :
			       "unterminated character constant");
	i++;
	if (quote == '\'') {
		if (n != 1)
			return probe_error_at(L->d, L->src, L->pos, i, n ? "multi-character constant" :
				       "empty character constant");
		t->kind = T_CHAR;
		t->ival = (unsigned char)buf[0];
	} else {
		t->kind = T_STRING;
		buf[n] = '\0';
		t->str = buf;
		t->slen = n;
	}
	L->pos = i;
	return 0;
}

struct punct { const char *text; enum tok kind; };
static const struct punct puncts[] = {   /* longest first */
	{"->", T_ARROW}, {"<<", T_SHL}, {">>", T_SHR}, {"<=", T_LE}, {">=", T_GE}, {"==", T_EQ},
	{"!=", T_NE}, {"&&", T_ANDAND}, {"||", T_OROR},
	{"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACKET}, {"]", T_RBRACKET}, {",", T_COMMA},
	{".", T_DOT}, {"?", T_QUESTION}, {":", T_COLON}, {"+", T_PLUS}, {"-", T_MINUS},
	{"*", T_STAR}, {"/", T_SLASH}, {"%", T_PERCENT}, {"&", T_AMP}, {"|", T_PIPE},
	{"^", T_CARET}, {"~", T_TILDE}, {"!", T_BANG}, {"<", T_LT}, {">", T_GT},
};

static int lex_one(struct lexer *L, struct token *t)
{
	const char *s = L->src;
	int c;

	while (L->pos < L->end && isspace((unsigned char)s[L->pos]))
		L->pos++;
	memset(t, 0, sizeof(*t));
	t->pos = L->pos;
	if (L->pos >= L->end) {
		t->kind = T_EOF;
		t->end = L->pos;
		return 0;
	}
	c = (unsigned char)s[L->pos];
	if (is_ident_start(c) || ((c == '$' || c == '@') && L->pos + 1 < L->end &&
				  is_ident_start((unsigned char)s[L->pos + 1]))) {
		int start = L->pos + (c == '$' || c == '@');
		int i = start + 1;

		while (i < L->end && is_ident_char((unsigned char)s[i]))
			i++;
		t->kind = c == '$' ? T_VAR : c == '@' ? T_AT : T_IDENT;
		t->text = arena_strndup(L->a, s + start, i - start);
		L->pos = i;
	} else if (isdigit(c)) {
		if (lex_number(L, t))
			return -1;
	} else if (c == '"' || c == '\'') {
		if (lex_quoted(L, t, c))
			return -1;
	} else {
		size_t k;

		for (k = 0; k < sizeof(puncts) / sizeof(puncts[0]); k++) {
			size_t n = strlen(puncts[k].text);

			if (L->pos + (int)n <= L->end && !memcmp(s + L->pos, puncts[k].text, n)) {
				t->kind = puncts[k].kind;
				L->pos += n;
				break;
			}
		}
		if (k == sizeof(puncts) / sizeof(puncts[0])) {
			if (c == '=')
				return probe_error_at(L->d, L->src, L->pos, L->pos + 1,
					       "assignment is not allowed in a probe expression (did you mean '=='?)");
			if (c == '$' || c == '@')
				return probe_error_at(L->d, L->src, L->pos, L->pos + 1, "'%c' must be followed by a name", c);
			if (c >= 0x20 && c < 0x7f)
				return probe_error_at(L->d, L->src, L->pos, L->pos + 1, "unexpected character '%c'", c);
			return probe_error_at(L->d, L->src, L->pos, L->pos + 1, "unexpected byte 0x%02x", c);
		}
	}
	t->end = L->pos;
	return 0;
}

int lex_tokens(const char *source, int start, int end, struct arena *a, struct probe_diag *d,
	struct token **out, int *count)
{
	struct lexer L = { .src = source, .pos = start, .end = end, .a = a, .d = d };
	int cap = 16, n = 0;
	struct token *toks = arena_alloc(a, cap * sizeof(*toks));

	for (;;) {
		if (n == cap) {
			struct token *bigger = arena_alloc(a, 2 * cap * sizeof(*toks));

			memcpy(bigger, toks, cap * sizeof(*toks));
			toks = bigger;
			cap *= 2;
		}
		if (lex_one(&L, &toks[n]))
			return -1;
		if (toks[n++].kind == T_EOF)
			break;
	}
	*out = toks;
	*count = n;
	return 0;
}
