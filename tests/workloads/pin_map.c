/* Test helper for --cgroupmap / --mntnsmap (tests/live/core_mapfilter.sh): creates a BPF map,
 * puts keys in it and pins it, as a user or a container runtime would for BCC's filters.
 *   pin_map PATH hash|array KEY_SIZE [KEY...]    keys: decimal, 4 or 8 bytes (values 1)
 * Raw bpf(2), so it links statically without libbpf and runs in the VM guests too. Exit 0, or 1
 * with the failing step and errno on stderr. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int die(const char *what)
{
	fprintf(stderr, "pin_map: %s: %s\n", what, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	union bpf_attr attr;
	int fd, key_size;
	uint64_t value = 1;

	if (argc < 4 || (strcmp(argv[2], "hash") && strcmp(argv[2], "array"))) {
		fprintf(stderr, "usage: pin_map PATH hash|array KEY_SIZE [KEY...]\n");
		return 2;
	}
	key_size = atoi(argv[3]);
	if (key_size != 4 && key_size != 8) {
		fprintf(stderr, "pin_map: KEY_SIZE is 4 or 8\n");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.map_type = strcmp(argv[2], "hash") ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH;
	attr.key_size = attr.map_type == BPF_MAP_TYPE_ARRAY ? 4 : key_size;
	attr.value_size = sizeof(value);
	attr.max_entries = 16;
	strncpy(attr.map_name, "bcct_test", sizeof(attr.map_name) - 1);
	fd = sys_bpf(BPF_MAP_CREATE, &attr);
	if (fd < 0)
		return die("BPF_MAP_CREATE");
	for (int i = 4; i < argc; i++) {
		uint64_t key64 = strtoull(argv[i], NULL, 10);
		uint32_t key32 = key64;

		memset(&attr, 0, sizeof(attr));
		attr.map_fd = fd;
		attr.key = (uintptr_t)(key_size == 8 ? (void *)&key64 : (void *)&key32);
		attr.value = (uintptr_t)&value;
		if (sys_bpf(BPF_MAP_UPDATE_ELEM, &attr))
			return die("BPF_MAP_UPDATE_ELEM");
	}
	memset(&attr, 0, sizeof(attr));
	attr.pathname = (uintptr_t)argv[1];
	attr.bpf_fd = fd;
	if (sys_bpf(BPF_OBJ_PIN, &attr))
		return die("BPF_OBJ_PIN");
	return 0;
}
