/* What the off-CPU stack tools (offcputime, offwaketime) share with user space. */
#ifndef BCCT_OFFCPU_H
#define BCCT_OFFCPU_H
#define OFFCPU_MAX_TARGETS 16           /* -p / -t list length */
#define OFFCPU_STACK_DEPTH 127          /* frames per stack (core/stacks.h BCCT_STACK_DEPTH) */
#endif
