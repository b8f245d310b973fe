/* What the cli's printers share: the usage text's entries (printed by --help and in bcct(8)) and
 * the generators of man pages and shell completion, which walk the applet table. */
#ifndef BCCT_CLI_H
#define BCCT_CLI_H
#include <stdio.h>
#include "core/applet.h"

/* One entry of a usage list; help may hold several lines ("\n"), continued under it. */
struct cli_entry {
	const char *name;
	const char *help;
};
/* NULL-terminated. */
extern const struct cli_entry cli_commands[], cli_environment[];
extern const char cli_summary[];

/* The applet or alias called `name`: an applet's own name leaves alias NULL. */
struct cli_target {
	const struct bcct_applet *applet;
	const struct bcct_alias *alias;
};

/* Walks every applet, then its aliases, in table order: fn returns non-zero to stop. */
int cli_for_each_name(int (*fn)(struct cli_target t, void *arg), void *arg);
/* The option table, examples and summary a name shows: an alias with its own options has
 * those, one without has its applet's. */
const struct bcct_opt *cli_target_opts(struct cli_target t);
const char *cli_target_name(struct cli_target t);

/* The applet or alias called name ({NULL} when none); the message and exit status for one
 * that is not there; an applet's run from its argv (argv[0] its name), as `bcct NAME ...`. */
struct cli_target cli_find(const char *name);
int cli_unknown(const char *name);
int cli_run_applet(struct cli_target t, int argc, char **argv);
/* bcct serve ... (cli/serve.c) */
int cli_serve(int argc, char **argv);

/* bcct --man DIR [JSON.md]: bcct.8 and bcct-NAME.8 for every applet and alias into DIR. */
int cli_man(int argc, char **argv);
/* bcct --completion bash: the bash completion script, on stdout. */
int cli_completion(int argc, char **argv);
#endif
