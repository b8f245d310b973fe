/* readline_target LINE...: calls its own readline() once per LINE, which returns that line
 * (malloc'd, as GNU readline's). Run through a symlink named "bash", it stands in for an
 * interactive bash where there is none (the VM guests) or no pseudo-terminal: bashreadline
 * -s PATH_OF_THIS_BINARY sees the lines. */
#include <stdlib.h>
#include <string.h>

static char *const *lines;
static int next_line;

__attribute__((noinline, used)) char *readline(const char *prompt)
{
	(void)prompt;
	return lines[next_line] ? strdup(lines[next_line++]) : NULL;
}

int main(int argc, char **argv)
{
	char *line;

	(void)argc;
	lines = argv + 1;
	while ((line = readline("$ ")))
		free(line);
	return 0;
}
