/* libFuzzer target for the probe compiler: the lexer and expression parser, the trace and
 * argdist spec parsers, the S-expression printer and the diagnostic formatter, and (modes 5
 * and 6) the type checker and code generator on whatever parses, against the kernel's BTF when
 * /sys/kernel/btf/vmlinux is readable and a fixed tracepoint format; with BCCT_FUZZ_LOAD=1 (as
 * root) their programs are also loaded, and a verifier rejection counts as a crash. The first
 * input byte picks the mode. See tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"
#include "symbolize/usdt.h"

/* Every tracepoint ("t:any:thing") gets this layout. */
static const char tp_format[] =
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:pid_t pid;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\tfield:char comm[16];\toffset:16;\tsize:16;\tsigned:0;\n"
	"\tfield:const char * filename;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:int flags;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:u8 addr[4];\toffset:48;\tsize:4;\tsigned:0;\n";

static void compile_only(struct probe_spec *s)
{
	static const struct bcct_usdt_arg usdt[2] = {
		{ .kind = USDT_ARG_REG, .size = 4, .is_signed = true, .reg = "di" },
		{ .kind = USDT_ARG_REG_DEREF, .size = 8, .val = -16, .reg = "bp" },
	};
	struct probe_compile_opts o = { .tp_format = tp_format, .usdt_args = usdt,
					.usdt_nargs = 2 };
	struct probe_diag d = { .column = -1 };
	struct probe_program *p = probe_compile(s, &o, &d);

	/* a spec the checker accepted must never hit the code generator's internal errors */
	if (!p && strstr(d.message, "internal error"))
		abort();
	if (p) {
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			probe_program_dump(p, null);
			fclose(null);
		}
		/* BCCT_FUZZ_LOAD=1 (root): what compiles must also pass the kernel's verifier */
		if (getenv("BCCT_FUZZ_LOAD")) {
			struct probe_load_opts lo = { 0 };

			if (probe_load(p, &lo, &d) && strstr(d.message, "verifier")) {
				probe_diag_print(&d, stderr);
				abort();
			}
		}
		probe_program_free(p);
	}
	probe_diag_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_diag d = { .column = -1 };
	struct arena a = {0};
	struct sbuf b = {0};
	char *text, *diag;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0] % 7;
	/* the parsers take NUL-terminated text, as from argv */
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	switch (mode) {
	case 0: {
		struct node *n = parse_expr_range(&a, text, 0, strlen(text), &d);

		if (n)
			sexpr_node(&b, n);
		break;
	}
	case 1: {
		struct probe_spec *s = probe_parse_trace(text, &d);

		if (s) {
			free(probe_spec_sexpr(s));
			probe_spec_free(s);
		}
		break;
	}
	case 2:
	case 3: {
		struct probe_spec *s = probe_parse_argdist(text, mode == 3, &d);

		if (s) {
			free(probe_spec_sexpr(s));
			probe_spec_free(s);
		}
		break;
	}
	case 5:
	case 6: {
		struct probe_spec *s = mode == 5 ? probe_parse_trace(text, &d) :
				       probe_parse_argdist(text, size & 1, &d);

		if (s) {
			compile_only(s);
			probe_spec_free(s);
		}
		break;
	}
	case 4: {
		struct param *params;
		int n;

		parse_params_range(&a, text, 0, strlen(text), &d, &params, &n);
		break;
	}
	}
	/* the caret formatter runs on every error position the parsers produce */
	diag = malloc(probe_diag_format(&d, NULL, 0) + 1);
	if (diag) {
		probe_diag_format(&d, diag, probe_diag_format(&d, NULL, 0) + 1);
		free(diag);
	}
	probe_diag_clear(&d);
	free(b.s);
	arena_free(&a);
	free(text);
	return 0;
}
