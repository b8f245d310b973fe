/* --exec CMD [ARGS...] (core/exec_child.c): the held child bcct traces. Core-internal. */
#ifndef BCCT_EXEC_CHILD_H
#define BCCT_EXEC_CHILD_H
/* With --exec: forks CMD held before exec and sets env.pid to it. Returns 0 or an exit status
 * after one line. Call before anything is loaded. */
int exec_child_start(void);
/* Lets the held child exec (every probe attached). */
void exec_child_release(void);
/* After the loop or a failure: reports the child's exit status on stderr, or, when it was never
 * released, makes it exit without running. */
void exec_child_finish(void);
#endif
