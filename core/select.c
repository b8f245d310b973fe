/* Probe selection (see select.h): programs grouped into logical probes by name, candidates
 * ordered by one global preference, the first usable one chosen. */
#include <stdio.h>
#include <string.h>
#include "core/select.h"

/* The variant suffixes of the naming rule (docs/ARCHITECTURE.md, "The BPF side"). */
static const char *const variant_suffixes[] = {
	"_fentry", "_fexit", "_kprobe", "_kretprobe", "_raw", "_btf", "_tp", "_perf",
};

/* A suffix may end in one digit ("_kprobe2"): another candidate of the same kind, for a kernel
 * function renamed across versions (folio_mark_accessed, before it mark_page_accessed); among
 * candidates of one kind the object's order decides, so the first whose target exists wins. */
size_t sel_variant_suffix(const char *name)
{
	size_t n = strlen(name), digit = n && name[n - 1] >= '0' && name[n - 1] <= '9';

	for (size_t i = 0; i < sizeof(variant_suffixes) / sizeof(variant_suffixes[0]); i++) {
		size_t s = strlen(variant_suffixes[i]);

		if (n > s + digit && !strncmp(name + n - s - digit, variant_suffixes[i], s))
			return s + digit;
	}
	return 0;
}

/* The global order of preference, best first (select.h says why). */
static int preference(enum bcct_kind k)
{
	switch (k) {
	case KIND_FENTRY: case KIND_FEXIT: return 0;
	case KIND_KPROBE: case KIND_KRETPROBE: return 1;
	case KIND_RAW_TP: return 2;
	case KIND_TP_BTF: return 3;
	case KIND_TRACEPOINT: return 4;
	case KIND_PERF_EVENT: return 5;
	default: return 6;
	}
}

static bool listed(const char *const *names, const char *name)
{
	for (; names && *names; names++)
		if (!strcmp(*names, name))
			return true;
	return false;
}

static struct sel_probe *probe_named(struct sel_plan *plan, const char *stem, size_t len)
{
	for (int i = 0; i < plan->nprobes; i++)
		if (strlen(plan->probes[i].name) == len && !strncmp(plan->probes[i].name, stem, len))
			return &plan->probes[i];
	if (plan->nprobes == SEL_MAX_PROGS || len >= SEL_NAME_MAX)
		return NULL;
	struct sel_probe *p = &plan->probes[plan->nprobes++];

	memset(p, 0, sizeof(*p));
	memcpy(p->name, stem, len);
	p->chosen = -1;
	p->whole = -1;
	return p;
}

/* Inserts candidate `prog` into p keeping the order of preference (stable for equal kinds). */
static void add_candidate(struct sel_probe *p, const struct sel_prog *progs, int prog)
{
	const char *target;
	int rank = preference(bcct_section_kind(progs[prog].section, &target)), at = p->ncand;

	if (p->ncand == (int)(sizeof(p->cand) / sizeof(p->cand[0])))
		return;
	while (at > 0 && preference(bcct_section_kind(progs[p->cand[at - 1]].section, &target)) > rank) {
		p->cand[at] = p->cand[at - 1];
		at--;
	}
	p->cand[at] = prog;
	p->ncand++;
}

/* Points every part (`whole__part`) at its whole, when the object has that probe. */
static void link_parts(struct sel_plan *plan)
{
	for (int i = 0; i < plan->nprobes; i++) {
		const char *sep = strstr(plan->probes[i].name, "__");

		for (int w = 0; sep && w < plan->nprobes; w++)
			if (w != i && strlen(plan->probes[w].name) == (size_t)(sep - plan->probes[i].name) &&
			    !strncmp(plan->probes[w].name, plan->probes[i].name, sep - plan->probes[i].name))
				plan->probes[i].whole = w;
	}
}

/* A chosen whole covers its parts (not needed, nothing chosen); a whole without a usable
 * candidate is skipped in favour of its parts. */
static void settle_parts(struct sel_prog *progs, struct sel_plan *plan)
{
	for (int i = 0; i < plan->nprobes; i++) {
		struct sel_probe *p = &plan->probes[i], *w;

		if (p->whole < 0)
			continue;
		w = &plan->probes[p->whole];
		if (w->needed && w->chosen >= 0) {
			if (p->chosen >= 0)
				progs[p->chosen].chosen = false;
			p->chosen = -1;
			p->needed = false;
			p->covered = true;
		} else {
			w->optional = true;
		}
	}
}

int sel_plan(struct sel_prog *progs, int nprogs, const char *const *optional, sel_usable_fn usable,
	     struct sel_plan *plan)
{
	int ret = 0;

	plan->nprobes = 0;
	for (int i = 0; i < nprogs; i++) {
		const char *target;
		enum bcct_kind k = bcct_section_kind(progs[i].section, &target);
		struct sel_probe *p;

		progs[i].chosen = false;
		/* A run-time target (uprobe, USDT, a pattern's kprobes) is the applet's to attach. */
		if (k == KIND_UNKNOWN || (!*target && k != KIND_PERF_EVENT))
			continue;
		p = probe_named(plan, progs[i].name, strlen(progs[i].name) - sel_variant_suffix(progs[i].name));
		if (p)
			add_candidate(p, progs, i);
	}
	link_parts(plan);
	for (int i = 0; i < plan->nprobes; i++) {
		struct sel_probe *p = &plan->probes[i];
		size_t used = 0;

		p->optional = listed(optional, p->name);
		for (int c = 0; c < p->ncand; c++)
			p->needed |= progs[p->cand[c]].enabled;
		for (int c = 0; c < p->ncand && p->needed; c++) {
			struct sel_prog *prog = &progs[p->cand[c]];
			const char *target, *why = "failed to load";
			enum bcct_kind k = bcct_section_kind(prog->section, &target);

			if (!prog->enabled)
				continue;
			/* A sampling program's source is its probe name: a PMC event
			 * (core/pmc.h: cache_misses_perf) or the software cpu-clock. */
			if (k == KIND_PERF_EVENT)
				target = p->name;
			if (p->chosen < 0 && !prog->excluded && usable(k, target, &why)) {
				p->chosen = p->cand[c];
				prog->chosen = true;
				continue;
			}
			if (p->chosen < 0 && used < sizeof(p->why))
				used += snprintf(p->why + used, sizeof(p->why) - used, "%s%s %s: %s",
						 used ? "; " : "", bcct_kind_name(k), *target ? target : "(sampling)", why);
		}
	}
	settle_parts(progs, plan);
	for (int i = 0; i < plan->nprobes; i++)
		if (plan->probes[i].needed && plan->probes[i].chosen < 0 && !plan->probes[i].optional)
			ret = -1;
	return ret;
}
