/* floor: the least a tool has to do to get the probes of one bcct run attached, with plain
 * libbpf and nothing else. bench/startup times it like the tools (first stdout line) and prints
 * every applet's time as a ratio to it.
 *
 *   floor --prepare PID DIR OBJECT...   record what the running, attached bcct PID loaded
 *   floor DIR                           load and attach that again; print one line; wait
 *
 * --prepare looks at the bcct process through /proc and the bpf() syscall, so the floor repeats
 * that exact run whatever its applet decided (options, probe candidates, map sizes):
 *   - the object: the first OBJECT (a bpf/<tool>.bpf.o of the same build, the bytes the skeleton
 *     embeds) that has a program for every program the process holds;
 *   - the programs it loaded (by the name the kernel keeps, at most 15 characters, and type);
 *   - each map's type, key and value size and max_entries, and the contents of its .rodata
 *     maps (which the verifier relies on for dead-code elimination, so they change its work);
 *   - the trimmed CO-RE target bcct handed libbpf (the memfd it keeps open), if any: libbpf then
 *     relocates against it as it did for bcct instead of parsing all of vmlinux BTF.
 * It writes DIR/plan (text) and DIR/core.btf and DIR/rodata.N when there is one.
 *
 * The timed run reads the object and the plan, opens the object with libbpf (the trimmed target
 * as btf_custom_path), disables the programs bcct did not load, sets the map sizes and .rodata,
 * loads, attaches every program (libbpf's auto-attach from the section name; perf_event
 * programs to a 49 Hz cpu-clock event per online CPU, as bcct does by default), opens the ring
 * or perf buffer of the `events` map, prints "floor: attached N" and waits for SIGINT or
 * SIGTERM. What it leaves out is what bcct adds: option parsing, feature probes, probe
 * selection, building the trimmed target, output setup. Exit status: 0 after a signal, 1 if
 * anything failed (with a message on stderr). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_ITEMS 256

static int die(const char *fmt, const char *arg)
{
	fprintf(stderr, "floor: ");
	fprintf(stderr, fmt, arg, strerror(errno));
	fputc('\n', stderr);
	return 1;
}

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void *read_file(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf = NULL;
	size_t got = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (buf = malloc(st.st_size ? st.st_size : 1))) {
		ssize_t n;

		while (got < (size_t)st.st_size && (n = read(fd, buf + got, st.st_size - got)) > 0)
			got += n;
	}
	close(fd);
	*size = got;
	return buf;
}

/* ---- --prepare ---------------------------------------------------------------------------- */

struct seen_prog {
	char name[BPF_OBJ_NAME_LEN];
	__u32 type;
};
struct seen_map {
	char name[BPF_OBJ_NAME_LEN];
	__u32 id, type, key_size, value_size, max_entries;
};

static bool add_id(__u32 *ids, int *n, __u32 id)
{
	for (int i = 0; i < *n; i++)
		if (ids[i] == id)
			return false;
	if (*n < MAX_ITEMS)
		ids[(*n)++] = id;
	return true;
}

/* Collects the ids of the programs and maps the process holds (directly, or behind its links
 * and its programs' map references), and copies its trimmed CO-RE target to core_btf_path. */
static int scan_process(int pid, __u32 *prog_ids, int *nprogs, __u32 *map_ids, int *nmaps,
			const char *core_btf_path, bool *have_btf)
{
	char dir[64], path[320], target[128], line[128];
	struct dirent *d;
	DIR *fds;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	fds = opendir(dir);
	if (!fds)
		return die("%s: %s", dir);
	while ((d = readdir(fds))) {
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strstr(target, "bcct-core-btf") && !*have_btf) {
			size_t sz;
			void *btf = read_file(path, &sz);
			FILE *out = btf ? fopen(core_btf_path, "w") : NULL;

			*have_btf = out && fwrite(btf, 1, sz, out) == sz;
			if (out)
				fclose(out);
			free(btf);
			continue;
		}
		if (strcmp(target, "anon_inode:bpf-prog") && strcmp(target, "anon_inode:bpf-map") &&
		    strcmp(target, "anon_inode:bpf_link"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, d->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			unsigned int id;

			if (sscanf(line, "prog_id: %u", &id) == 1)
				add_id(prog_ids, nprogs, id);
			else if (sscanf(line, "map_id: %u", &id) == 1)
				add_id(map_ids, nmaps, id);
		}
		if (f)
			fclose(f);
	}
	closedir(fds);
	/* Maps the programs use, when the process holds no fd of its own for them. */
	for (int i = 0; i < *nprogs; i++) {
		__u32 used[64];
		struct bpf_prog_info info = { .nr_map_ids = 64, .map_ids = (unsigned long)used };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(prog_ids[i]);

		if (fd >= 0 && bpf_prog_get_info_by_fd(fd, &info, &len) == 0)
			for (__u32 k = 0; k < info.nr_map_ids && k < 64; k++)
				add_id(map_ids, nmaps, used[k]);
		if (fd >= 0)
			close(fd);
	}
	return 0;
}

/* The program of obj that the kernel knows as (name truncated to 15, type), or NULL; ambiguous
 * is set when more than one matches. */
static struct bpf_program *match_prog(struct bpf_object *obj, const struct seen_prog *s,
				      bool *ambiguous)
{
	struct bpf_program *prog, *found = NULL;

	bpf_object__for_each_program(prog, obj) {
		if (strncmp(bpf_program__name(prog), s->name, BPF_OBJ_NAME_LEN - 1) ||
		    bpf_program__type(prog) != s->type)
			continue;
		if (found)
			*ambiguous = true;
		found = prog;
	}
	return found;
}

static int prepare(int pid, const char *dir, char **objects, int nobjects)
{
	__u32 prog_ids[MAX_ITEMS], map_ids[MAX_ITEMS];
	struct seen_prog progs[MAX_ITEMS];
	struct seen_map maps[MAX_ITEMS];
	int nprogs = 0, nmaps = 0, nrodata = 0;
	char path[512];
	bool have_btf = false;
	const char *chosen = NULL;
	FILE *plan;

	snprintf(path, sizeof(path), "%s/core.btf", dir);
	unlink(path);
	if (scan_process(pid, prog_ids, &nprogs, map_ids, &nmaps, path, &have_btf))
		return 1;
	if (!nprogs) {
		fprintf(stderr, "floor: process %d holds no BPF program\n", pid);
		return 1;
	}
	for (int i = 0; i < nprogs; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(prog_ids[i]);

		if (fd < 0 || bpf_prog_get_info_by_fd(fd, &info, &len))
			return die("program %s: %s", "info");
		close(fd);
		memcpy(progs[i].name, info.name, sizeof(progs[i].name));
		progs[i].type = info.type;
	}
	for (int i = 0; i < nmaps; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_map_get_fd_by_id(map_ids[i]);

		if (fd < 0 || bpf_map_get_info_by_fd(fd, &info, &len))
			return die("map %s: %s", "info");
		close(fd);
		memcpy(maps[i].name, info.name, sizeof(maps[i].name));
		maps[i].id = map_ids[i];
		maps[i].type = info.type;
		maps[i].key_size = info.key_size;
		maps[i].value_size = info.value_size;
		maps[i].max_entries = info.max_entries;
	}

	/* The object: the first that has every program the process loaded, unambiguously. */
	for (int o = 0; o < nobjects && !chosen; o++) {
		LIBBPF_OPTS(bpf_object_open_opts, opts);
		struct bpf_object *obj = bpf_object__open_file(objects[o], &opts);
		bool all = obj != NULL, ambiguous = false;

		for (int i = 0; all && i < nprogs; i++)
			all = match_prog(obj, &progs[i], &ambiguous) != NULL;
		if (all && ambiguous) {
			fprintf(stderr, "floor: %s: two programs match one the process loaded\n", objects[o]);
			all = false;
		}
		if (all)
			chosen = objects[o];
		bpf_object__close(obj);
	}
	if (!chosen) {
		fprintf(stderr, "floor: no object given has all %d programs of process %d (first: %s)\n",
			nprogs, pid, progs[0].name);
		return 1;
	}

	snprintf(path, sizeof(path), "%s/plan", dir);
	plan = fopen(path, "w");
	if (!plan)
		return die("%s: %s", path);
	fprintf(plan, "object %s\n", chosen);
	if (have_btf)
		fprintf(plan, "core_btf %s/core.btf\n", dir);
	for (int i = 0; i < nprogs; i++)
		fprintf(plan, "prog %s %u\n", progs[i].name, progs[i].type);
	for (int i = 0; i < nmaps; i++) {
		size_t n = strlen(maps[i].name);

		fprintf(plan, "map %s %u %u %u %u\n", maps[i].name, maps[i].type, maps[i].key_size,
			maps[i].value_size, maps[i].max_entries);
		if (n >= 7 && strstr(maps[i].name, ".rodata")) {
			/* A frozen array of one element: its value is what the programs were verified with. */
			int fd = bpf_map_get_fd_by_id(maps[i].id);
			void *val = calloc(1, maps[i].value_size);
			__u32 zero = 0;
			FILE *f;

			if (fd < 0 || !val || bpf_map_lookup_elem(fd, &zero, val))
				return die("reading %s: %s", maps[i].name);
			close(fd);
			snprintf(path, sizeof(path), "%s/rodata.%d", dir, nrodata++);
			f = fopen(path, "w");
			if (!f || fwrite(val, 1, maps[i].value_size, f) != maps[i].value_size)
				return die("%s: %s", path);
			fclose(f);
			fprintf(plan, "rodata %s %s\n", maps[i].name, path);
			free(val);
		}
	}
	if (fclose(plan))
		return die("%s: %s", dir);
	printf("floor: %s: %d programs, %d maps%s\n", chosen, nprogs, nmaps,
	       have_btf ? ", trimmed CO-RE target" : "");
	return 0;
}

/* ---- the timed run ------------------------------------------------------------------------ */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int attach_perf_event(struct bpf_program *prog, int *links)
{
	int ncpu = libbpf_num_possible_cpus();

	for (int cpu = 0; cpu < ncpu; cpu++) {
		struct perf_event_attr a = { .size = sizeof(a), .type = PERF_TYPE_SOFTWARE,
					     .config = PERF_COUNT_SW_CPU_CLOCK, .freq = 1,
					     .sample_freq = 49 };
		int fd = syscall(__NR_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

		if (fd < 0)
			continue;   /* offline CPU */
		if (!bpf_program__attach_perf_event(prog, fd))
			return -1;
		(*links)++;
	}
	return 0;
}

static int no_event(void *ctx, void *data, size_t size)
{
	return 0;
}

static int run(const char *dir)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	char path[512], line[600], a[256], b[512];
	struct seen_prog progs[MAX_ITEMS];
	int nprogs = 0, links = 0;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	void *elf = NULL;
	size_t elf_size = 0;
	FILE *plan;

	snprintf(path, sizeof(path), "%s/plan", dir);
	plan = fopen(path, "r");
	if (!plan)
		return die("%s: %s", path);
	/* First pass: the object and the BTF, which open needs. */
	while (fgets(line, sizeof(line), plan)) {
		if (sscanf(line, "object %511s", b) == 1 && !(elf = read_file(b, &elf_size)))
			return die("%s: %s", b);
		if (sscanf(line, "core_btf %511s", b) == 1)
			opts.btf_custom_path = strdup(b);
		if (nprogs < MAX_ITEMS && sscanf(line, "prog %15s %u", progs[nprogs].name, &progs[nprogs].type) == 2)
			nprogs++;
	}
	if (!elf) {
		fprintf(stderr, "floor: %s names no object\n", path);
		return 1;
	}
	obj = bpf_object__open_mem(elf, elf_size, &opts);
	if (!obj)
		return die("opening %s: %s", "the object");
	bpf_object__for_each_program(prog, obj) {
		bool loaded = false;

		for (int i = 0; i < nprogs && !loaded; i++)
			loaded = !strncmp(bpf_program__name(prog), progs[i].name, BPF_OBJ_NAME_LEN - 1) &&
				 bpf_program__type(prog) == progs[i].type;
		bpf_program__set_autoload(prog, loaded);
	}
	/* Second pass: maps as bcct sized them, .rodata as it filled them. */
	rewind(plan);
	while (fgets(line, sizeof(line), plan)) {
		unsigned int type, key, value, max;

		if (sscanf(line, "map %255s %u %u %u %u", a, &type, &key, &value, &max) == 5) {
			bpf_object__for_each_map(map, obj) {
				if (strncmp(bpf_map__name(map), a, BPF_OBJ_NAME_LEN - 1) || bpf_map__is_internal(map))
					continue;
				bpf_map__set_type(map, type);
				bpf_map__set_key_size(map, key);
				bpf_map__set_value_size(map, value);
				bpf_map__set_max_entries(map, max);
			}
		} else if (sscanf(line, "rodata %255s %511s", a, b) == 2) {
			size_t sz, want;
			void *val = read_file(b, &sz);

			bpf_object__for_each_map(map, obj) {
				if (strncmp(bpf_map__name(map), a, BPF_OBJ_NAME_LEN - 1))
					continue;
				if (!val || !bpf_map__initial_value(map, &want) || want != sz ||
				    bpf_map__set_initial_value(map, val, sz)) {
					fprintf(stderr, "floor: %s: cannot set its initial value from %s\n", a, b);
					return 1;
				}
			}
			free(val);
		}
	}
	fclose(plan);

	if (bpf_object__load(obj))
		return die("loading %s: %s", "the object");
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog))
			continue;
		if (bpf_program__type(prog) == BPF_PROG_TYPE_PERF_EVENT) {
			if (attach_perf_event(prog, &links))
				return die("attaching %s: %s", bpf_program__name(prog));
		} else if (bpf_program__attach(prog)) {
			links++;
		} else if (errno != EOPNOTSUPP && errno != ESRCH) {
			return die("attaching %s: %s", bpf_program__name(prog));
		}
	}
	map = bpf_object__find_map_by_name(obj, "events");
	if (map && bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF &&
	    !ring_buffer__new(bpf_map__fd(map), no_event, NULL, NULL))
		return die("ring buffer %s: %s", "events");
	if (map && bpf_map__type(map) == BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	    !perf_buffer__new(bpf_map__fd(map), 64, NULL, NULL, NULL, NULL))
		return die("perf buffer %s: %s", "events");

	printf("floor: attached %d\n", links);
	fflush(stdout);
	while (!stop)
		pause();
	return 0;   /* the kernel tears it all down at exit */
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };

	libbpf_set_print(quiet_print);
	if (argc >= 5 && !strcmp(argv[1], "--prepare"))
		return prepare(atoi(argv[2]), argv[3], argv + 4, argc - 4);
	if (argc == 2 && argv[1][0] != '-') {
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		return run(argv[1]);
	}
	fprintf(stderr, "usage: floor --prepare PID DIR OBJECT...\n       floor DIR\n");
	return 2;
}
