/* The kernel's traceable functions, read once. See sys.h. */
#include "core/sys/sys.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local struct sys_kernel_functions functions;
static _Thread_local const char **sorted;
static _Thread_local bool tried, loaded;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Cuts each line of text down to its function name, in place: "name [module]" from tracefs,
 * "address type name\t[module]" with a text type from kallsyms (others are dropped). */
static bool parse(char *text, bool kallsyms)
{
	size_t cap = 0, n = 0;
	const char **names = NULL;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *name = line;

		if (kallsyms) {
			char *type = strchr(line, ' ');

			if (!type || !type[1] || !strchr("tTwW", type[1]) || type[2] != ' ')
				continue;
			name = type + 3;
		}
		name[strcspn(name, " \t")] = '\0';
		if (!*name)
			continue;
		if (n == cap) {
			const char **more = realloc(names, (cap = cap ? cap * 2 : 4096) * sizeof(*names));

			if (!more) {
				free(names);
				return false;
			}
			names = more;
		}
		names[n++] = name;
	}
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted) {
		free(names);
		return false;
	}
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_name);
	functions = (struct sys_kernel_functions){ .names = names, .count = n, .from_kallsyms = kallsyms };
	return true;
}

const struct sys_kernel_functions *sys_kernel_functions(const char *tracefs)
{
	char path[512], *text = NULL;
	bool kallsyms = false;

	if (tried)
		return loaded ? &functions : NULL;
	tried = true;
	if (tracefs) {
		snprintf(path, sizeof(path), "%s/available_filter_functions", tracefs);
		text = sys_read_file(path, SYS_READ_LARGE, NULL);
	}
	if (!text) {
		text = sys_read_file("/proc/kallsyms", SYS_READ_LARGE, NULL);
		kallsyms = true;
	}
	/* The text stays: the names point into it for the whole run. */
	loaded = text && parse(text, kallsyms);
	if (!loaded)
		free(text);
	return loaded ? &functions : NULL;
}

bool sys_kernel_function_exists(const struct sys_kernel_functions *k, const char *name)
{
	return k && bsearch(&name, sorted, k->count, sizeof(*sorted), cmp_name);
}

/* The syscall prefixes kernels have used (BCC's list, plus the SyS_ aliases of 3.x/4.x), this
 * kernel's first: scripts written for one kernel name sys_read, SyS_read or __x64_sys_read. */
static const char *const syscall_prefixes[] = {
	"sys_", "__x64_sys_", "__x32_compat_sys_", "__ia32_compat_sys_", "__arm64_sys_",
	"__s390x_sys_", "__s390_sys_", "__riscv_sys_", "SyS_",
};

const char *sys_kernel_syscall_function(const struct sys_kernel_functions *k, const char *name,
					char *buf, size_t size)
{
	const char *rest = NULL;

	if (!k || sys_kernel_function_exists(k, name))
		return name;
	for (size_t i = 0; i < sizeof(syscall_prefixes) / sizeof(*syscall_prefixes) && !rest; i++)
		if (!strncmp(name, syscall_prefixes[i], strlen(syscall_prefixes[i])))
			rest = name + strlen(syscall_prefixes[i]);
	if (!rest || !*rest)
		return name;
	/* This kernel's prefix is the one its bpf() syscall has. */
	for (size_t i = 0; i < sizeof(syscall_prefixes) / sizeof(*syscall_prefixes); i++) {
		char probe[64];

		snprintf(probe, sizeof(probe), "%sbpf", syscall_prefixes[i]);
		if (!sys_kernel_function_exists(k, probe))
			continue;
		if ((size_t)snprintf(buf, size, "%s%s", syscall_prefixes[i], rest) >= size ||
		    !sys_kernel_function_exists(k, buf))
			return name;
		return buf;
	}
	return name;
}
