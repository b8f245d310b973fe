/* opensnoop -F: the same programs with the in-kernel directory walk (see opensnoop.bpf.c). */
#define OPENSNOOP_FULL_PATH 1
#include "opensnoop.bpf.c"
