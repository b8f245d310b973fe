/* The stacks a stack tool printed, for --pprof and --svg; see stackprof.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/index.h"
#include "core/log.h"
#include "core/opts.h"
#include "core/stackprof.h"

_Thread_local struct bcct_stack_export bcct_stack_export;
BCCT_OPT_LAYOUT(struct bcct_stack_export, bcct_stack_export)

#define MAX_STRINGS (STACKPROF_MAX_FRAMES * 2u)
#define MAX_STRING 1024         /* longer names (templates) are cut */

struct stackprof {
	struct stackprof_desc desc;
	uint64_t start_ns;
	char **strings;
	size_t nstrings, strings_cap;
	struct bcct_index string_index;
	struct stackprof_frame_rec *frames;
	size_t nframes, frames_cap;
	struct bcct_index frame_index;
	struct stackprof_sample_rec *samples;
	size_t nsamples, samples_cap;
	struct bcct_index sample_index;
	unsigned long long dropped;     /* values of stacks that did not fit */
};

static _Thread_local struct stackprof *profile;

bool stackprof_wanted(void)
{
	return bcct_stack_export.pprof || bcct_stack_export.svg;
}

static bool grow(void *arrayp, size_t *cap, size_t need, size_t elem)
{
	void **array = arrayp;
	size_t ncap = *cap ? *cap : 256;
	void *bigger;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	if (!(bigger = realloc(*array, ncap * elem)))
		return false;
	*array = bigger;
	*cap = ncap;
	return true;
}

/* ---- strings ---- */

static bool string_eq(const void *owner, uint32_t i, const void *want)
{
	return !strcmp(((const struct stackprof *)owner)->strings[i], want);
}

static uint64_t string_hash(const void *owner, uint32_t i)
{
	const char *s = ((const struct stackprof *)owner)->strings[i];

	return bcct_fnv(BCCT_FNV_START, s, strlen(s));
}

uint32_t stackprof_intern(struct stackprof *p, const char *s)
{
	char cut[MAX_STRING];
	uint32_t *slot;

	if (strlen(s) >= sizeof(cut)) {
		memcpy(cut, s, sizeof(cut) - 1);
		cut[sizeof(cut) - 1] = 0;
		s = cut;
	}
	if (p->nstrings >= MAX_STRINGS || !bcct_index_reserve(&p->string_index, p->nstrings + 1, string_hash, p) ||
	    !grow(&p->strings, &p->strings_cap, p->nstrings + 1, sizeof(char *)))
		return UINT32_MAX;
	slot = bcct_index_find(&p->string_index, bcct_fnv(BCCT_FNV_START, s, strlen(s)), string_eq, p, s);
	if (*slot)
		return *slot - 1;
	if (!(p->strings[p->nstrings] = strdup(s)))
		return UINT32_MAX;
	*slot = (uint32_t)++p->nstrings;
	return *slot - 1;
}

/* ---- frames ---- */

static bool frame_eq(const void *owner, uint32_t i, const void *want)
{
	return !memcmp(&((const struct stackprof *)owner)->frames[i], want, sizeof(struct stackprof_frame_rec));
}

static uint64_t frame_hash(const void *owner, uint32_t i)
{
	return bcct_fnv(BCCT_FNV_START, &((const struct stackprof *)owner)->frames[i], sizeof(struct stackprof_frame_rec));
}

static uint32_t frame_id(struct stackprof *p, const struct stackprof_frame *f)
{
	struct stackprof_frame_rec r;
	uint32_t *slot;

	memset(&r, 0, sizeof(r));      /* hashed as bytes: padding too */
	r.name = stackprof_intern(p, f->name ? f->name : "[unknown]");
	r.module = f->module ? stackprof_intern(p, f->module) : 0;
	r.build_id = f->build_id ? stackprof_intern(p, f->build_id) : 0;
	r.addr = f->addr;
	r.kind = f->kind;
	if (r.name == UINT32_MAX || r.module == UINT32_MAX || r.build_id == UINT32_MAX ||
	    p->nframes >= STACKPROF_MAX_FRAMES ||
	    !bcct_index_reserve(&p->frame_index, p->nframes + 1, frame_hash, p) ||
	    !grow(&p->frames, &p->frames_cap, p->nframes + 1, sizeof(r)))
		return UINT32_MAX;
	slot = bcct_index_find(&p->frame_index, bcct_fnv(BCCT_FNV_START, &r, sizeof(r)), frame_eq, p, &r);
	if (!*slot) {
		p->frames[p->nframes] = r;
		*slot = (uint32_t)++p->nframes;
	}
	return *slot - 1;
}

/* ---- samples ---- */

static uint64_t sample_key_hash(const struct stackprof_sample_rec *s)
{
	uint64_t h = bcct_fnv(BCCT_FNV_START, &s->comm, sizeof(s->comm));

	h = bcct_fnv(h, &s->pid, sizeof(s->pid));
	return bcct_fnv(h, s->frames, s->n * sizeof(*s->frames));
}

static bool sample_eq(const void *owner, uint32_t i, const void *want)
{
	const struct stackprof_sample_rec *a = &((const struct stackprof *)owner)->samples[i], *b = want;

	return a->comm == b->comm && a->pid == b->pid && a->n == b->n &&
	       !memcmp(a->frames, b->frames, a->n * sizeof(*a->frames));
}

static uint64_t sample_hash(const void *owner, uint32_t i)
{
	return sample_key_hash(&((const struct stackprof *)owner)->samples[i]);
}

struct stackprof *stackprof_get(const struct stackprof_desc *desc)
{
	struct timespec ts;

	if (profile)
		return profile;
	if (!(profile = calloc(1, sizeof(*profile))))
		return NULL;
	profile->desc = *desc;
	if (!profile->desc.values[0].type)
		profile->desc.values[0] = (struct stackprof_value){ "count", "count", 1 };
	if (!profile->desc.count_name)
		profile->desc.count_name = "samples";
	if (!profile->desc.title)
		profile->desc.title = "Flame Graph";
	clock_gettime(CLOCK_REALTIME, &ts);
	profile->start_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (stackprof_intern(profile, "") != 0) {      /* pprof: string 0 is "" */
		stackprof_free();
		return NULL;
	}
	return profile;
}

void stackprof_add(struct stackprof *p, const char *comm, int pid,
		   const struct stackprof_frame *frames, int n, uint64_t value)
{
	uint32_t ids[n > 0 ? n : 1];
	struct stackprof_sample_rec want = { .pid = pid < 0 ? -1 : pid, .n = n, .frames = ids };
	uint32_t *slot, *copy;

	if (!p || !value)
		return;
	want.comm = stackprof_intern(p, comm ? comm : "");
	for (int i = 0; i < n; i++)
		if ((ids[i] = frame_id(p, &frames[i])) == UINT32_MAX)
			goto drop;
	if (want.comm == UINT32_MAX || p->nsamples >= STACKPROF_MAX_SAMPLES ||
	    !bcct_index_reserve(&p->sample_index, p->nsamples + 1, sample_hash, p) ||
	    !grow(&p->samples, &p->samples_cap, p->nsamples + 1, sizeof(want)))
		goto drop;
	slot = bcct_index_find(&p->sample_index, sample_key_hash(&want), sample_eq, p, &want);
	if (*slot) {
		p->samples[*slot - 1].value += value;
		return;
	}
	if (!(copy = malloc((n > 0 ? n : 1) * sizeof(*copy))))
		goto drop;
	memcpy(copy, ids, n * sizeof(*copy));
	want.frames = copy;
	want.value = value;
	p->samples[p->nsamples] = want;
	*slot = (uint32_t)++p->nsamples;
	return;
drop:
	p->dropped += value;
}

/* Writes path through a temporary file renamed over it, so a reader never sees half a file. */
static int replace_file(struct stackprof *p, const char *path, int (*writer)(struct stackprof *, const char *))
{
	char tmp[4096];
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (writer(p, tmp)) {
		err = errno;
		unlink(tmp);
		errno = err;
		return -1;
	}
	return rename(tmp, path);
}

int stackprof_write(struct stackprof *p)
{
	/* not static: the paths are this thread's run's options */
	const struct { const char *const *path; const char *what; int (*writer)(struct stackprof *, const char *); } files[] = {
		{ &bcct_stack_export.pprof, "pprof profile", pprof_write },
		{ &bcct_stack_export.svg, "flame graph", flamegraph_write },
	};
	int err = 0;

	if (!p)
		return 0;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *path = *files[i].path;

		if (path && replace_file(p, path, files[i].writer)) {
			bcct_err("cannot write the %s to %s: %s", files[i].what, path, strerror(errno));
			err = -1;
		}
	}
	if (p->dropped)
		bcct_warn("%llu of the stacks' value left out of the written profile: more than %u stacks "
			  "or %u frames", p->dropped, STACKPROF_MAX_SAMPLES, STACKPROF_MAX_FRAMES);
	return err;
}

int stackprof_check_files(void)
{
	const char *paths[] = { bcct_stack_export.pprof, bcct_stack_export.svg };

	for (size_t i = 0; i < 2; i++) {
		int fd;

		if (!paths[i])
			continue;
		/* created now (not truncated: an old profile stays until the new one is complete) */
		fd = open(paths[i], O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0) {
			bcct_err("cannot write %s: %s", paths[i], strerror(errno));
			return -1;
		}
		close(fd);
	}
	return 0;
}

void stackprof_free(void)
{
	struct stackprof *p = profile;

	if (!p)
		return;
	for (size_t i = 0; i < p->nstrings; i++)
		free(p->strings[i]);
	for (size_t i = 0; i < p->nsamples; i++)
		free((void *)p->samples[i].frames);
	free(p->strings);
	bcct_index_free(&p->string_index);
	free(p->frames);
	bcct_index_free(&p->frame_index);
	free(p->samples);
	bcct_index_free(&p->sample_index);
	free(p);
	profile = NULL;
}

size_t stackprof_nstrings(const struct stackprof *p) { return p->nstrings; }
const char *stackprof_string(const struct stackprof *p, uint32_t idx) { return p->strings[idx]; }
size_t stackprof_nframes(const struct stackprof *p) { return p->nframes; }
const struct stackprof_frame_rec *stackprof_frame_at(const struct stackprof *p, size_t i) { return &p->frames[i]; }
size_t stackprof_nsamples(const struct stackprof *p) { return p->nsamples; }
const struct stackprof_sample_rec *stackprof_sample_at(const struct stackprof *p, size_t i) { return &p->samples[i]; }
const struct stackprof_desc *stackprof_desc(const struct stackprof *p) { return &p->desc; }
uint64_t stackprof_start_ns(const struct stackprof *p) { return p->start_ns; }
