/* Messages: every line is prefixed with the running applet's name. */
#ifndef BCCT_LOG_H
#define BCCT_LOG_H
#include <stdarg.h>

extern _Thread_local const char *bcct_prog;   /* applet name used as the message prefix ("bcct" before dispatch) */
extern _Thread_local int bcct_verbose;        /* -v count */

void bcct_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bcct_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bcct_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* shown with -v */
/* Usage error: one line with a hint to --help, and the caller returns BCCT_EXIT_USAGE. */
void bcct_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

enum {
	BCCT_EXIT_OK = 0,
	BCCT_EXIT_FAIL = 1,
	BCCT_EXIT_USAGE = 2,
	BCCT_EXIT_UNKNOWN = 127,
};
#endif
