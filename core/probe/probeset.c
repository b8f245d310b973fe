/* trace/argdist probes: spec -> sites -> programs -> links (see probeset.h). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bcct.h"
#include "core/features.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/probe/probeset.h"
#include "core/run.h"
#include "core/sys/sys.h"

/* The "[type:]lib:func" part of a spec, where the signature, predicate or format begins; a
 * "+offset" is not part of the name. */
static size_t prefix_len(const char *text, enum probe_tool tool)
{
	size_t n = strcspn(text, tool == PROBE_TOOL_ARGDIST ? "(#" : " \t(\"");
	const char *plus = memchr(text, '+', n);

	return plus ? (size_t)(plus - text) : n;
}

/* File offset of a virtual address of an ELF file (its PT_LOAD segment), 0 if none. */
static uint64_t vaddr_to_offset(const char *path, uint64_t vaddr)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint64_t off = 0;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && !sys_elf_vaddr_to_offset(elf, vaddr, &off))
		off = 0;
	if (elf)
		elf_end(elf);
	close(fd);
	return off;
}

/* A compiler diagnostic in the form of ps_error: "APPLET: probe "SPEC": message",
 * a caret line under the offending part, then any detail (the verifier's log tail). */
void pprobe_diag_print(const char *spec, struct probe_diag *d)
{
	const char *src = d->source ? d->source : spec;
	int pre;

	fflush(stdout);
	pre = fprintf(stderr, "%s: probe \"", bcct_prog);
	fprintf(stderr, "%s\": %s\n", src, d->message);
	if (d->column >= 0) {
		fprintf(stderr, "%*s^", pre + d->column, "");
		for (int i = 1; i < d->length; i++)
			fputc('~', stderr);
		fputc('\n', stderr);
	}
	if (d->detail)
		fprintf(stderr, "%s%s", d->detail, d->detail[strlen(d->detail) - 1] == '\n' ? "" : "\n");
	probe_diag_clear(d);
}

static struct pprobe_site *add_site(struct pprobe *pp, uint64_t offset)
{
	struct pprobe_site *s = realloc(pp->sites, (pp->nsites + 1) * sizeof(*s));

	if (!s)
		return NULL;
	pp->sites = s;
	s += pp->nsites++;
	memset(s, 0, sizeof(*s));
	s->offset = offset;
	s->nargs = -1;
	return s;
}

struct usdt_walk {
	struct pprobe *pp;
	const struct probe_target *t;
	char **argspecs;            /* per program: the raw argument spec it was compiled for */
	int err;
};

static int usdt_site(void *ctx, const struct bcct_usdt_probe *p)
{
	struct usdt_walk *w = ctx;
	struct pprobe *pp = w->pp;
	struct pprobe_site *s;
	size_t i;

	if (strcmp(p->name, w->t->function) || (*w->t->provider && strcmp(p->provider, w->t->provider)))
		return 0;
	if (!p->pc_offset)
		return 0;
	s = add_site(pp, p->pc_offset);
	if (!s)
		return w->err = -ENOMEM;
	if (p->semaphore)
		s->semaphore = vaddr_to_offset(p->path, p->semaphore);
	s->nargs = bcct_usdt_parse_args(p->args, s->args, PPROBE_SITE_MAX_ARGS);
	/* Sites passing their arguments the same way share a program. */
	for (i = 0; i < pp->nprogs; i++)
		if (!strcmp(w->argspecs[i], p->args))
			break;
	if (i == pp->nprogs) {
		char **a = realloc(w->argspecs, (i + 1) * sizeof(*a));

		if (!a)
			return w->err = -ENOMEM;
		w->argspecs = a;
		a[i] = strdup(p->args);
		pp->nprogs++;
	}
	s->prog = (int)i;
	return 0;
}

int pprobe_init(struct pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		     pid_t pid)
{
	struct probe_diag d = { .column = -1 };
	const struct probe_target *t;
	struct ps_targets targets = { 0 };
	int err, n;

	memset(pp, 0, sizeof(*pp));
	pp->text = text;
	pp->spec = tool == PROBE_TOOL_TRACE ? probe_parse_trace(text, &d) :
		probe_parse_argdist(text, hist, &d);
	if (!pp->spec) {
		pprobe_diag_print(text, &d);
		return BCCT_EXIT_USAGE;
	}
	t = probe_spec_target(pp->spec);
	if ((t->type == 'p' || t->type == 'r') && !t->user) {
		char name[256];
		const char *fn = sys_kernel_syscall_function(sys_kernel_functions(bcct_tracefs()),
							     t->function, name, sizeof(name));

		if (fn != t->function) {
			bcct_info("%s: this kernel names the syscall %s", t->function, fn);
			if (probe_spec_set_function(pp->spec, fn))
				return BCCT_EXIT_FAIL;
		}
	}
	err = ps_parse_at(text, 0, prefix_len(text, tool), PS_F_ALL | PS_F_RETPROBE,
				      pid, &pp->ps);
	if (err)
		return err;
	err = ps_supported(&pp->ps);
	if (err)
		return err;
	pp->nprogs = 1;
	switch (pp->ps.kind) {
	case PS_TRACEPOINT:
		if (!bcct_tracepoint_exists(t->category, t->function)) {
			ps_error(text, -1, "no tracepoint %s:%s on this kernel (see tplist)",
					     t->category, t->function);
			return BCCT_EXIT_FAIL;
		}
		return add_site(pp, 0) ? 0 : BCCT_EXIT_FAIL;
	case PS_KFUNC:
		return add_site(pp, t->offset) ? 0 : BCCT_EXIT_FAIL;
	case PS_UFUNC:
		n = ps_expand(&pp->ps, PS_MAX_TARGETS, &targets);
		if (n == 0)
			ps_error(text, -1, "can't find function '%s' in %s", pp->ps.pattern,
					     ps_file_name(&pp->ps));
		for (int i = 0; i < n; i++)
			if (!add_site(pp, targets.v[i].offset + t->offset))
				n = -1;
		ps_targets_free(&targets);
		return n > 0 ? 0 : BCCT_EXIT_FAIL;
	case PS_USDT: {
		struct usdt_walk w = { .pp = pp, .t = t };

		pp->nprogs = 0;
		err = bcct_usdt_foreach_file(pp->ps.path, NULL, usdt_site, &w);
		for (size_t i = 0; i < pp->nprogs; i++)
			free(w.argspecs[i]);
		free(w.argspecs);
		if (err < 0 || w.err) {
			bcct_err("cannot read the USDT notes of %s: %s", ps_file_name(&pp->ps),
				 strerror(-(w.err ? w.err : err)));
			return BCCT_EXIT_FAIL;
		}
		if (!pp->nsites) {
			ps_error(text, -1, "no USDT probe %s%s%s in %s (see tplist -l)", t->provider,
					     *t->provider ? ":" : "", t->function, ps_file_name(&pp->ps));
			return BCCT_EXIT_FAIL;
		}
		return 0;
	}
	}
	return BCCT_EXIT_FAIL;
}

int pprobe_compile(struct pprobe *pp, const struct probe_compile_opts *o)
{
	pp->progs = calloc(pp->nprogs, sizeof(*pp->progs));
	if (!pp->progs)
		return BCCT_EXIT_FAIL;
	for (size_t i = 0; i < pp->nprogs; i++) {
		struct probe_compile_opts co = *o;
		struct probe_diag d = { .column = -1 };

		if (pp->ps.kind == PS_USDT)
			for (size_t k = 0; k < pp->nsites; k++)
				if (pp->sites[k].prog == (int)i) {
					co.usdt_args = pp->sites[k].nargs >= 0 ? pp->sites[k].args : NULL;
					co.usdt_nargs = pp->sites[k].nargs;
					break;
				}
		pp->progs[i] = probe_compile(pp->spec, &co, &d);
		if (!pp->progs[i]) {
			pprobe_diag_print(pp->text, &d);
			return BCCT_EXIT_USAGE;
		}
	}
	return 0;
}

/* --ebpf: this probe's programs as compiled for this kernel (map references by name; nothing is
 * loaded or attached), one section each, as core prints the other applets' loaded programs. */
static void print_ebpf(const struct pprobe *pp)
{
	static const char *const kinds[] = {
		[PS_KFUNC] = "kprobe", [PS_UFUNC] = "uprobe", [PS_TRACEPOINT] = "tracepoint", [PS_USDT] = "usdt",
	};
	const char *kind = pp->ps.kind == PS_KFUNC || pp->ps.kind == PS_UFUNC ?
		(pp->ps.retprobe ? (pp->ps.kind == PS_KFUNC ? "kretprobe" : "uretprobe") : kinds[pp->ps.kind]) :
		kinds[pp->ps.kind];

	for (size_t i = 0; i < pp->nprogs; i++) {
		size_t sites = 0;

		for (size_t k = 0; k < pp->nsites; k++)
			sites += pp->sites[k].prog == (int)i;
		/* A return probe reading $entry()/$latency has an entry program too: first. */
		for (int entry = 1; entry >= 0; entry--) {
			const struct bpf_insn *insns;
			size_t n = probe_program_insns(pp->progs[i], entry, &insns);

			if (!n)
				continue;
			printf("; probe '%s'%s: %s %s%s%s, %zu site%s, %zu instructions\n", pp->text,
			       entry ? " (entry)" : "", entry ? kinds[pp->ps.kind] : kind,
			       pp->ps.path ? pp->ps.path : "", pp->ps.path ? ":" : "", pp->ps.pattern, sites,
			       sites == 1 ? "" : "s", n);
			probe_program_dump_one(pp->progs[i], entry, stdout);
			printf("\n");
		}
	}
	fflush(stdout);
}

int pprobe_build(struct pprobe *pp, const char *text, enum probe_tool tool, bool hist,
		      pid_t pid, struct probe_compile_opts *co, uint32_t id)
{
	int err = pprobe_init(pp, text, tool, hist, pid);

	co->probe_id = id;
	if (!err)
		err = pprobe_compile(pp, co);
	if (!err && env.ebpf)
		print_ebpf(pp);
	else if (!err && env.verbose > 1)
		probe_program_dump(pp->progs[0], stderr);
	return err;
}

static int attach_site(const struct pprobe *pp, const struct pprobe_site *s, int fd, bool ret,
		       pid_t pid)
{
	const struct probe_target *t = probe_spec_target(pp->spec);

	switch (pp->ps.kind) {
	case PS_TRACEPOINT:
		return probe_attach_tracepoint(fd, t->category, t->function);
	case PS_KFUNC:
		return probe_attach_kprobe(fd, ret, t->function, s->offset);
	case PS_UFUNC:
		return probe_attach_uprobe(fd, ret, pp->ps.path, s->offset, pid > 0 ? pid : -1);
	case PS_USDT:
		return probe_attach_usdt(fd, pp->ps.path, s->offset, s->semaphore, pid > 0 ? pid : -1);
	}
	return -EINVAL;
}

/* Every site of each program in one uprobe_multi link (one more for the entry half of a return
 * probe): funccount 'c:mem*' releases its dozens of sites at once. 0 or -errno. */
static int attach_sites_multi(const struct pprobe *pp, pid_t pid)
{
	size_t cap = pp->nsites ? pp->nsites : 1;
	unsigned long *offsets = calloc(cap, sizeof(*offsets)), *refs = calloc(cap, sizeof(*refs));
	int link = -ENOMEM;

	if (!offsets || !refs)
		goto out;
	for (size_t i = 0; i < pp->nprogs; i++) {
		const struct probe_program *p = pp->progs[i];
		int entry = probe_program_fd(p, true);
		bool semaphores = false;
		size_t n = 0;

		for (size_t k = 0; k < pp->nsites; k++) {
			if (pp->sites[k].prog != (int)i)
				continue;
			offsets[n] = pp->sites[k].offset;
			refs[n] = pp->sites[k].semaphore;
			semaphores |= refs[n++] != 0;
		}
		if (!n)
			continue;
		if (entry >= 0) {
			link = probe_attach_uprobe_multi(entry, false, pp->ps.path, offsets, NULL, n, pid);
			if (bcct_track_fd(link) < 0)
				goto out;
		}
		link = probe_attach_uprobe_multi(probe_program_fd(p, false), pp->ps.retprobe, pp->ps.path,
						 offsets, semaphores ? refs : NULL, n, pid);
		if (bcct_track_fd(link) < 0)
			goto out;
	}
	link = 0;
out:
	free(offsets);
	free(refs);
	return link;
}

int pprobe_attach(struct pprobe *pp, const struct probe_load_opts *lo, pid_t pid)
{
	bool multi;
	int link;

	for (size_t i = 0; i < pp->nprogs; i++) {
		struct probe_load_opts l = *lo;
		struct probe_diag d = { .column = -1 };

		if (i > 0)
			l.sink_fd = probe_sink_map_fd(pp->progs[0]);
		if (probe_load(pp->progs[i], &l, &d)) {
			pprobe_diag_print(pp->text, &d);
			return BCCT_EXIT_FAIL;
		}
	}
	multi = pp->nprogs && probe_program_uprobe_multi(pp->progs[0]);
	if (multi && (link = attach_sites_multi(pp, pid)) < 0) {
		bcct_err("cannot attach \"%s\": %s", pp->text, strerror(-link));
		return BCCT_EXIT_FAIL;
	}
	for (size_t k = 0; k < pp->nsites && !multi; k++) {
		const struct pprobe_site *s = &pp->sites[k];
		struct probe_program *p = pp->progs[s->prog];
		int entry = probe_program_fd(p, true);

		/* The entry half of a return probe that uses $entry()/$latency. */
		if (entry >= 0) {
			link = attach_site(pp, s, entry, false, pid);
			if (bcct_track_fd(link) < 0)
				goto fail;
		}
		link = attach_site(pp, s, probe_program_fd(p, false), pp->ps.retprobe, pid);
		if (bcct_track_fd(link) < 0)
			goto fail;
		continue;
fail:
		/* The kernel's ENOENT for a kprobe: the function is not there (renamed, inlined, or
		 * in a module not loaded), which "No such file or directory" does not say. */
		if (pp->ps.kind == PS_KFUNC && link == -ENOENT)
			bcct_err("cannot attach \"%s\": this kernel has no function %s to probe",
				 pp->text, pp->ps.pattern);
		else
			bcct_err("cannot attach \"%s\": %s", pp->text, strerror(-link));
		return BCCT_EXIT_FAIL;
	}
	bcct_info("probe %s: %s (%zu site%s, %zu program%s)", probe_display_name(pp->spec),
		  pp->ps.kind == PS_TRACEPOINT ? "tracepoint" : pp->ps.kind == PS_KFUNC ?
		  (pp->ps.retprobe ? "kretprobe" : "kprobe") : pp->ps.kind == PS_USDT ? "usdt" :
		  pp->ps.retprobe ? "uretprobe" : "uprobe",
		  pp->nsites, pp->nsites == 1 ? "" : "s", pp->nprogs, pp->nprogs == 1 ? "" : "s");
	return 0;
}

unsigned long long pprobe_lost(const struct pprobe *pp)
{
	unsigned long long n = 0;

	for (size_t i = 0; pp->progs && i < pp->nprogs; i++)
		if (pp->progs[i])
			n += probe_lost_events(pp->progs[i]);
	return n;
}

void pprobe_free(struct pprobe *pp)
{
	for (size_t i = 0; pp->progs && i < pp->nprogs; i++)
		probe_program_free(pp->progs[i]);
	free(pp->progs);
	free(pp->sites);
	probe_spec_free(pp->spec);
	ps_free(&pp->ps);
	memset(pp, 0, sizeof(*pp));
}

void pprobes_free(struct pprobe *pp, int *n)
{
	for (int i = 0; i < *n; i++)
		pprobe_free(&pp[i]);
	*n = 0;
}
