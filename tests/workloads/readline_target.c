/* readline_target LINE...: calls its own readline() once per LINE, which returns that line
 * (malloc'd, as GNU readline's), and runs each line as a shell function named after it: bash's
 * push_context(NAME, ...) as the function's scope opens and pop_context() as it closes. Run
 * through a symlink named "bash", it stands in for an interactive bash where there is none (the
 * VM guests) or no pseudo-terminal: bashreadline -s PATH_OF_THIS_BINARY sees the lines, and
 * bashfunc/bashfunclat -s PATH the function calls. */
#include <stdlib.h>
#include <string.h>

static char *const *lines;
static int next_line;

__attribute__((noinline, used)) char *readline(const char *prompt)
{
	(void)prompt;
	return lines[next_line] ? strdup(lines[next_line++]) : NULL;
}

__attribute__((noinline, used)) void push_context(const char *name, int is_subshell, void *tempvars)
{
	__asm__ volatile("" : : "r"(name), "r"(is_subshell), "r"(tempvars) : "memory");
}

__attribute__((noinline, used)) void pop_context(void)
{
	__asm__ volatile("" : : : "memory");
}

int main(int argc, char **argv)
{
	char *line;

	(void)argc;
	lines = argv + 1;
	while ((line = readline("$ "))) {
		push_context(line, 0, NULL);
		pop_context();
		free(line);
	}
	return 0;
}
