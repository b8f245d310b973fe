/* sym_proc by pid: an open-addressing hash table, since stack-printing applets look up the
 * same few pids for every event. */
#include "symbolize/symbolize.h"
#include <stdlib.h>

struct cache_slot {
	pid_t pid;
	struct sym_proc *proc; /* NULL: empty slot (failed opens are not cached) */
};

struct sym_cache {
	struct cache_slot *slots;
	size_t cap; /* power of two */
	size_t used;
};

static size_t slot_of(const struct sym_cache *c, pid_t pid)
{
	size_t i = ((size_t)(unsigned)pid * 0x9e3779b97f4a7c15ULL) & (c->cap - 1);
	while (c->slots[i].proc && c->slots[i].pid != pid)
		i = (i + 1) & (c->cap - 1);
	return i;
}

struct sym_cache *sym_cache_new(void)
{
	struct sym_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cap = 64;
	c->slots = calloc(c->cap, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		return NULL;
	}
	return c;
}

/* Keeps the table at most half full so probe runs stay short. */
static bool grow(struct sym_cache *c)
{
	struct sym_cache bigger = {.cap = c->cap * 2};
	bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
	if (!bigger.slots)
		return false;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].proc)
			bigger.slots[slot_of(&bigger, c->slots[i].pid)] = c->slots[i];
	free(c->slots);
	c->slots = bigger.slots;
	c->cap = bigger.cap;
	return true;
}

struct sym_proc *sym_cache_get(struct sym_cache *c, pid_t pid)
{
	size_t i = slot_of(c, pid);
	if (c->slots[i].proc)
		return c->slots[i].proc;
	struct sym_proc *p = sym_proc_open(pid);
	if (!p)
		return NULL;
	if ((c->used + 1) * 2 > c->cap) {
		if (!grow(c)) {
			sym_proc_close(p);
			return NULL;
		}
		i = slot_of(c, pid);
	}
	c->slots[i] = (struct cache_slot){.pid = pid, .proc = p};
	c->used++;
	return p;
}

void sym_cache_free(struct sym_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		sym_proc_close(c->slots[i].proc);
	free(c->slots);
	free(c);
}
