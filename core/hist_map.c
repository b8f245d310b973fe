/* Histogram maps to text/JSON: the collect-sort-print-clear loop every histogram tool shares,
 * with the section labels and the -e summary line several of them print. */
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "bcct.h"
#include "core/hist.h"
#include "core/sys/sys.h"
#include "core/opts.h"
#include "core/output.h"
#include "core/run.h"
#include "core/table.h"
#include "symbolize/symbolize.h"

/* qsort has no context argument: the key size of the map being sorted. */
static _Thread_local size_t sort_key_size;

static int default_cmp(const void *a, const void *b)
{
	return bcct_key_cmp(a, b, sort_key_size);
}

/* One element of the interval's "hists": the section's members, then the histogram's. */
static void json_entry(const struct bcct_hist_print *p, const void *key, size_t key_size,
		       const uint64_t *slots)
{
	char name[64], label[256];

	json_begin_object(NULL);
	if (p->section) {
		out_json_key(name, sizeof(name), p->section);
		if (p->json_label) {
			p->json_label(key, name);
		} else if (p->label == hist_label_pid) {
			hist_json_pid(key, name);
		} else if (p->label) {
			p->label(key, label, sizeof(label));
			json_str(name, label);
		} else if (key_size == 4) {
			json_uint(name, *(const unsigned int *)key);
		} else if (key_size == 8) {
			json_uint(name, *(const unsigned long long *)key);
		} else {
			bcct_key_label(key, key_size, label, sizeof(label));
			json_str(name, label);
		}
	}
	if (p->linear)
		hist_json_linear(slots, BCCT_MAX_SLOTS, p->unit);
	else
		hist_json_log2(slots, BCCT_MAX_SLOTS, p->unit);
	json_end_object();
}

int hist_print_map(struct bpf_map *map, const struct bcct_hist_print *p)
{
	struct bcct_entries e;

	if (bcct_map_collect(map, &e) < 0)
		return -1;
	sort_key_size = e.key_size;
	bcct_entries_sort(&e, p->cmp ? p->cmp : default_cmp);
	if (p->bcc_json && !p->section && e.n == 0) {
		uint64_t none[1] = { 0 };      /* BCC prints its one histogram even when empty */

		hist_print_bcc_json(NULL, NULL, none, 1, p->unit);
	}
	out_list("hists");              /* JSON: present, if empty, in every interval */
	for (size_t i = 0; i < e.n; i++) {
		const struct bcct_hist *h = bcct_entry_value(&e, i);
		uint64_t slots[BCCT_MAX_SLOTS];
		char label[256] = "";

		hist_widen(slots, h->slots, BCCT_MAX_SLOTS);
		if (env.json) {
			json_entry(p, bcct_entry_key(&e, i), e.key_size, slots);
			continue;
		}
		if (p->section) {
			if (p->label)
				p->label(bcct_entry_key(&e, i), label, sizeof(label));
			else
				bcct_key_label(bcct_entry_key(&e, i), e.key_size, label, sizeof(label));
		}
		if (p->bcc_json)
			hist_print_bcc_json(p->section, p->section ? label : NULL, slots, BCCT_MAX_SLOTS,
					    p->unit);
		else if (p->linear)
			hist_emit_linear(p->section, p->section ? label : NULL, slots, BCCT_MAX_SLOTS, p->unit);
		else
			hist_emit_log2(p->section, p->section ? label : NULL, slots, BCCT_MAX_SLOTS, p->unit);
	}
	bcct_entries_free(&e);
	if (p->clear)
		bcct_map_clear(map);
	return 0;
}

void hist_label_pid(const void *key, char *buf, size_t len)
{
	char comm[32];
	unsigned int pid = *(const unsigned int *)key;

	if (*sys_pid_comm(pid, comm, sizeof(comm)))
		snprintf(buf, len, "%u %s", pid, comm);
	else
		snprintf(buf, len, "%u", pid);
}

void hist_label_ksym(const void *key, char *buf, size_t len)
{
	struct bcct_sym s;
	uint64_t addr;

	memcpy(&addr, key, sizeof(addr));
	if (sym_kernel(addr, &s) && s.name)
		snprintf(buf, len, "%s", s.name);
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
}

void hist_json_pid(const void *key, const char *key_name)
{
	char comm[32];
	unsigned int pid = *(const unsigned int *)key;

	json_uint(key_name, pid);
	json_str("comm", sys_pid_comm(pid, comm, sizeof(comm)));
}

/* Keys that begin with a task's comm, char[16], not always NUL-terminated. */
#define HIST_COMM_LEN 16

void hist_label_comm(const void *key, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", HIST_COMM_LEN, (const char *)key);
}

void hist_json_comm(const void *key, const char *key_name)
{
	char comm[HIST_COMM_LEN + 1];

	(void)key_name;
	hist_label_comm(key, comm, sizeof(comm));
	json_str("comm", comm);
}

int hist_cmp_comm(const void *a, const void *b)
{
	return strncmp(a, b, HIST_COMM_LEN);
}

void hist_print_ext(struct bpf_map *map, const char *unit)
{
	struct bcct_hist_ext v = { 0, 0 };
	unsigned int zero = 0;

	/* Unreadable reads as empty: nothing to print. */
	bpf_map__lookup_elem(map, &zero, sizeof(zero), &v, sizeof(v), 0);
	bcct_map_clear(map);
	hist_print_summary(unit, v.total, v.count);
}
