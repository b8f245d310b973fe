/* Parse trees as S-expressions: what the unit tests compare with golden text, and what -v can
 * show. "(> (-> (cast "struct sock *" arg1) sk_state) 1)". */
#include <string.h>
#include "core/probe/internal.h"

static const char *op_text(enum tok op)
{
	switch (op) {
	case T_PLUS: return "+";
	case T_MINUS: return "-";
	case T_STAR: return "*";
	case T_SLASH: return "/";
	case T_PERCENT: return "%";
	case T_AMP: return "&";
	case T_PIPE: return "|";
	case T_CARET: return "^";
	case T_TILDE: return "~";
	case T_BANG: return "!";
	case T_SHL: return "<<";
	case T_SHR: return ">>";
	case T_LT: return "<";
	case T_LE: return "<=";
	case T_GT: return ">";
	case T_GE: return ">=";
	case T_EQ: return "==";
	case T_NE: return "!=";
	case T_ANDAND: return "&&";
	case T_OROR: return "||";
	case T_ARROW: return "->";
	case T_DOT: return ".";
	default: return "?";
	}
}

static const char *const builtin_names[] = {
	[BT_NONE] = "?", [BT_VOID] = "void", [BT_BOOL] = "_Bool", [BT_CHAR] = "char",
	[BT_SCHAR] = "signed char", [BT_UCHAR] = "unsigned char", [BT_SHORT] = "short",
	[BT_USHORT] = "unsigned short", [BT_INT] = "int", [BT_UINT] = "unsigned int",
	[BT_LONG] = "long", [BT_ULONG] = "unsigned long", [BT_LLONG] = "long long",
	[BT_ULLONG] = "unsigned long long",
};

void sexpr_typename(struct sbuf *b, const struct typename *tn)
{
	switch (tn->base) {
	case TN_BUILTIN: sbuf_printf(b, "%s", builtin_names[tn->builtin]); break;
	case TN_STRUCT: sbuf_printf(b, "struct %s", tn->name); break;
	case TN_UNION: sbuf_printf(b, "union %s", tn->name); break;
	case TN_ENUM: sbuf_printf(b, "enum %s", tn->name); break;
	case TN_TYPEDEF: sbuf_printf(b, "%s", tn->name); break;
	}
	if (tn->user)
		sbuf_printf(b, " __user");
	if (tn->pointers) {
		sbuf_putc(b, ' ');
		for (int i = 0; i < tn->pointers; i++)
			sbuf_putc(b, '*');
	}
}

void sexpr_node(struct sbuf *b, const struct node *n)
{
	if (!n) {
		sbuf_printf(b, "nil");
		return;
	}
	switch (n->kind) {
	case N_INT:
		if (n->is_char && n->ival >= 0x20 && n->ival < 0x7f && n->ival != '\'' && n->ival != '\\')
			sbuf_printf(b, "'%c'", (char)n->ival);
		else
			sbuf_printf(b, "%llu%s%s", (unsigned long long)n->ival, n->u_suffix ? "u" : "",
				    n->l_suffix == 2 ? "ll" : n->l_suffix ? "l" : "");
		break;
	case N_STRING:
		sbuf_putc(b, '"');
		sbuf_escaped(b, n->str, n->slen);
		sbuf_putc(b, '"');
		break;
	case N_IDENT:
		sbuf_printf(b, "%s", n->name);
		break;
	case N_VAR:
		sbuf_printf(b, "$%s", n->name);
		break;
	case N_UNARY:
		sbuf_printf(b, "(%s ", op_text(n->op));
		sexpr_node(b, n->a);
		sbuf_putc(b, ')');
		break;
	case N_BINARY:
		sbuf_printf(b, "(%s ", op_text(n->op));
		sexpr_node(b, n->a);
		sbuf_putc(b, ' ');
		sexpr_node(b, n->b);
		sbuf_putc(b, ')');
		break;
	case N_COND:
		sbuf_printf(b, "(? ");
		sexpr_node(b, n->a);
		sbuf_putc(b, ' ');
		sexpr_node(b, n->b);
		sbuf_putc(b, ' ');
		sexpr_node(b, n->c);
		sbuf_putc(b, ')');
		break;
	case N_CAST:
		sbuf_printf(b, "(cast \"");
		sexpr_typename(b, n->tn);
		sbuf_printf(b, "\" ");
		sexpr_node(b, n->a);
		sbuf_putc(b, ')');
		break;
	case N_MEMBER:
		sbuf_printf(b, "(%s ", op_text(n->op));
		sexpr_node(b, n->a);
		sbuf_printf(b, " %s)", n->name);
		break;
	case N_INDEX:
		sbuf_printf(b, "([] ");
		sexpr_node(b, n->a);
		sbuf_putc(b, ' ');
		sexpr_node(b, n->b);
		sbuf_putc(b, ')');
		break;
	case N_CALL:
		sbuf_printf(b, "(%s", n->name);
		for (int i = 0; i < n->nargs; i++) {
			sbuf_putc(b, ' ');
			sexpr_node(b, n->args[i]);
		}
		sbuf_putc(b, ')');
		break;
	case N_SIZEOF:
		sbuf_printf(b, "(sizeof ");
		if (n->tn) {
			sbuf_putc(b, '"');
			sexpr_typename(b, n->tn);
			sbuf_putc(b, '"');
		} else {
			sexpr_node(b, n->a);
		}
		sbuf_putc(b, ')');
		break;
	case N_USER:
		sbuf_printf(b, "(@user ");
		sexpr_node(b, n->a);
		sbuf_putc(b, ')');
		break;
	}
}

char *probe_spec_sexpr(const struct probe_spec *s)
{
	struct sbuf b = {0};
	const struct probe_target *t = &s->target;

	sbuf_printf(&b, "(%s", s->tool == PROBE_TOOL_TRACE ? "trace" : s->histogram ? "argdist-hist" :
		    "argdist-count");
	sbuf_printf(&b, " %c", t->type);
	if (t->type == 't')
		sbuf_printf(&b, " %s:%s", t->category, t->function);
	else if (t->type == 'u')
		sbuf_printf(&b, " \"%s\" %s%s%s", t->library, t->provider, t->provider[0] ? ":" : "",
			    t->function);
	else
		sbuf_printf(&b, " \"%s\" %s", t->library, t->function);
	if (t->offset)
		sbuf_printf(&b, "+0x%llx", (unsigned long long)t->offset);
	if (s->has_signature) {
		sbuf_printf(&b, " (params");
		for (int i = 0; i < s->nparams; i++) {
			sbuf_printf(&b, " (\"");
			sexpr_typename(&b, s->params[i].tn);
			sbuf_printf(&b, "\" %s)", s->params[i].name ? s->params[i].name : "_");
		}
		sbuf_putc(&b, ')');
	}
	if (s->filter) {
		sbuf_printf(&b, " (filter ");
		sexpr_node(&b, s->filter);
		sbuf_putc(&b, ')');
	}
	if (s->format) {
		sbuf_printf(&b, " (format \"");
		sbuf_escaped(&b, s->format, strlen(s->format));
		sbuf_putc(&b, '"');
		for (int i = 0; i < s->nvalues; i++) {
			sbuf_printf(&b, " (%s ", s->values[i].conv.spec);
			sexpr_node(&b, s->values[i].expr);
			sbuf_putc(&b, ')');
		}
		sbuf_putc(&b, ')');
	} else if (s->tool == PROBE_TOOL_ARGDIST) {
		sbuf_printf(&b, " (%s", s->default_expr ? "default" : "values");
		for (int i = 0; i < s->nvalues; i++) {
			sbuf_printf(&b, " (\"");
			sexpr_typename(&b, s->values[i].tn);
			sbuf_printf(&b, "\" ");
			sexpr_node(&b, s->values[i].expr);
			sbuf_putc(&b, ')');
		}
		sbuf_putc(&b, ')');
	}
	if (t->label)
		sbuf_printf(&b, " (label \"%s\")", t->label);
	sbuf_putc(&b, ')');
	return b.s;
}
