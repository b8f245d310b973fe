/* deadlock: potential deadlocks (lock order inversions) among the pthread mutexes of one
 * process, as BCC's deadlock. The BPF side builds the mutex wait graph (an edge A -> B when a
 * thread locked B while holding A); every second this looks for a cycle in it and, at the first
 * one, prints the cycle, where each mutex of each edge was locked, where the threads involved
 * were created, and ends (exit status 1, as BCC). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/family/pmutex.h"
#include "core/output.h"
#include "core/run.h"
#include "core/stacks.h"
#include "core/sys/sys.h"
#include "deadlock.h"
#include "deadlock.skel.h"

BCCT_SKELETON(deadlock_bpf);

static struct {
	const char *binary, *dump_graph;
	struct bcct_list lock_symbols, unlock_symbols;
	long threads, edges;
	struct deadlock_bpf *skel;
	struct bcct_stacks *stacks;
	bool found;
} o = { .threads = 65536, .edges = 65536 };

static const struct bcct_opt opts[] = {
	POS_INT_("pid", OPT_DEST(env, pid), "Pid to trace", 1, INT_MAX),
	OPT_STR_(0, "binary", &o.binary, "BINARY",
		 "If set, trace the mutexes from the binary at this path. By default the process's "
		 "executable when it defines the lock functions (a static program), else its C library."),
	OPT_STR_(0, "dump-graph", &o.dump_graph, "DUMP_GRAPH",
		 "If set, this will dump the mutex graph to the specified file."),
	OPT_COUNT_('v', "verbose", OPT_DEST(env, verbose),
		   "Print statistics about the mutex wait graph (twice: attach methods, libbpf messages)."),
	OPT_LIST_(0, "lock-symbols", &o.lock_symbols, "LOCK_SYMBOLS",
		  "Comma-separated list of lock symbols to trace. Default is pthread_mutex_lock. These "
		  "symbols cannot be inlined in the binary."),
	OPT_LIST_(0, "unlock-symbols", &o.unlock_symbols, "UNLOCK_SYMBOLS",
		  "Comma-separated list of unlock symbols to trace. Default is pthread_mutex_unlock. "
		  "These symbols cannot be inlined in the binary."),
	OPT_INT_('t', "threads", &o.threads, "THREADS",
		 "Specifies the maximum number of threads to trace. default 65536.", 1, 1 << 22),
	OPT_INT_('e', "edges", &o.edges, "EDGES",
		 "Specifies the maximum number of edge cases that can be recorded. default 65536.",
		 1, 1 << 22),
	STD_CGROUP,
	STD_COMM,
	STD_JSON,
	OPT_END_,
};

/* The graph as read from the edges map: nodes are mutex addresses, edges index into them. */
struct graph {
	struct deadlock_edge_key *keys;
	struct deadlock_edge *vals;
	size_t nedges;
	uint64_t *nodes;                /* sorted, unique */
	size_t nnodes;
	size_t *src, *dst;              /* per edge: node indexes */
	size_t *first, *next;           /* per node: its first out-edge, per edge: the next one */
};

static void graph_free(struct graph *g)
{
	free(g->keys);
	free(g->vals);
	free(g->nodes);
	free(g->src);
	free(g->dst);
	free(g->first);
	free(g->next);
	memset(g, 0, sizeof(*g));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t node_index(const struct graph *g, uint64_t m)
{
	const uint64_t *p = bsearch(&m, g->nodes, g->nnodes, sizeof(m), cmp_u64);

	return (size_t)(p - g->nodes);
}

#define NONE ((size_t)-1)

/* Reads every edge (at most -e of them: the map's size bounds the arrays). -1: out of memory. */
static int graph_read(struct graph *g, int fd)
{
	size_t cap = (size_t)o.edges, n = 0;
	struct deadlock_edge_key key, next;
	bool more;

	g->keys = calloc(cap, sizeof(*g->keys));
	g->vals = calloc(cap, sizeof(*g->vals));
	g->nodes = calloc(2 * cap, sizeof(*g->nodes));
	if (!g->keys || !g->vals || !g->nodes)
		return -1;
	for (more = !bpf_map_get_next_key(fd, NULL, &next); more && n < cap;
	     more = !bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &g->vals[n]))
			continue;   /* deleted meanwhile */
		g->keys[n] = key;
		g->nodes[2 * n] = key.mutex1;
		g->nodes[2 * n + 1] = key.mutex2;
		n++;
	}
	g->nedges = n;
	qsort(g->nodes, 2 * n, sizeof(*g->nodes), cmp_u64);
	for (size_t i = 0; i < 2 * n; i++)
		if (!g->nnodes || g->nodes[g->nnodes - 1] != g->nodes[i])
			g->nodes[g->nnodes++] = g->nodes[i];
	g->src = calloc(n + 1, sizeof(size_t));
	g->dst = calloc(n + 1, sizeof(size_t));
	g->next = calloc(n + 1, sizeof(size_t));
	g->first = calloc(g->nnodes + 1, sizeof(size_t));
	if (!g->src || !g->dst || !g->next || !g->first)
		return -1;
	for (size_t v = 0; v < g->nnodes; v++)
		g->first[v] = NONE;
	/* adjacency lists, each in the map's order */
	for (size_t i = n; i-- > 0;) {
		g->src[i] = node_index(g, g->keys[i].mutex1);
		g->dst[i] = node_index(g, g->keys[i].mutex2);
		g->next[i] = g->first[g->src[i]];
		g->first[g->src[i]] = i;
	}
	return 0;
}

/* One cycle of the graph as the edges along it, in cycle[] (at most nnodes); their number, 0
 * when the graph has none. An iterative depth-first search: an edge back to a node still on the
 * path closes a cycle. -1: out of memory. */
static long graph_find_cycle(const struct graph *g, size_t *cycle)
{
	unsigned char *state = calloc(g->nnodes + 1, 1);   /* 0 new, 1 on the path, 2 done */
	size_t *path_edge = calloc(g->nnodes + 1, sizeof(size_t));   /* edge taken into path[i+1] */
	size_t *path = calloc(g->nnodes + 1, sizeof(size_t));
	size_t *cursor = calloc(g->nnodes + 1, sizeof(size_t));     /* per node: next edge to try */
	long found = 0;

	if (!state || !path_edge || !path || !cursor) {
		found = -1;
		goto out;
	}
	for (size_t v = 0; v < g->nnodes; v++)
		cursor[v] = g->first[v];
	for (size_t root = 0; root < g->nnodes && !found; root++) {
		size_t depth = 0;

		if (state[root])
			continue;
		path[0] = root;
		state[root] = 1;
		while (!found) {
			size_t u = path[depth], e = cursor[u], w;

			if (e == NONE) {    /* every edge of u tried: back up */
				state[u] = 2;
				if (!depth--)
					break;
				continue;
			}
			cursor[u] = g->next[e];
			w = g->dst[e];
			if (state[w] == 1) {    /* back to the path: path[k..depth] + e is a cycle */
				size_t k = 0;

				while (path[k] != w)
					k++;
				for (size_t i = k; i < depth; i++)
					cycle[found++] = path_edge[i];
				cycle[found++] = e;
			} else if (!state[w]) {
				path_edge[depth] = e;
				path[++depth] = w;
				state[w] = 1;
			}
		}
	}
out:
	free(state);
	free(path_edge);
	free(path);
	free(cursor);
	return found;
}

/* A thread name as json.dumps writes it (ensure_ascii): other bytes than printable ASCII as
 * \u00XX (a comm is bytes, not text). */
static void json_file_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* BCC's networkx node_link_data, indented by 2 as json.dumps(indent=2). */
static void dump_graph(const struct graph *g)
{
	FILE *f = fopen(o.dump_graph, "w");

	if (!f) {
		bcct_warn("--dump-graph %s: %s", o.dump_graph, strerror(errno));
		return;
	}
	fprintf(f, "{\n  \"directed\": true,\n  \"multigraph\": false,\n  \"graph\": {},\n  \"links\": [");
	for (size_t i = 0; i < g->nedges; i++) {
		char comm[sizeof(g->vals[i].comm) + 1];

		snprintf(comm, sizeof(comm), "%s", g->vals[i].comm);
		fprintf(f, "%s\n    {\n      \"thread_pid\": %u,\n      \"thread_comm\": ", i ? "," : "",
			g->vals[i].tid);
		json_file_string(f, comm);
		fprintf(f, ",\n      \"first_mutex_stack_id\": %d,\n      \"second_mutex_stack_id\": %d,\n"
			"      \"source\": %zu,\n      \"target\": %zu\n    }",
			g->vals[i].site1.stack_id, g->vals[i].site2.stack_id, g->src[i], g->dst[i]);
	}
	fprintf(f, "%s],\n  \"nodes\": [", g->nedges ? "\n  " : "");
	for (size_t v = 0; v < g->nnodes; v++)
		fprintf(f, "%s\n    {\n      \"id\": %llu\n    }", v ? "," : "",
			(unsigned long long)g->nodes[v]);
	fprintf(f, "%s]\n}", g->nnodes ? "\n  " : "");
	if (fclose(f))
		bcct_warn("--dump-graph %s: %s", o.dump_graph, strerror(errno));
}

/* "Mutex M0 (lock_a 0x000055d0c1a2b040)": BCC's alias, with the variable's name when the
 * address is a global or static one of the program or a library. */
static const char *mutex_name(uint64_t m, int index, char *buf, size_t len)
{
	char sym[512];

	if (sys_pid_object_symbol((pid_t)env.pid, m, sym, sizeof(sym)))
		snprintf(buf, len, "Mutex M%d (%s 0x%016llx)", index, sym, (unsigned long long)m);
	else
		snprintf(buf, len, "Mutex M%d (0x%016llx)", index, (unsigned long long)m);
	return buf;
}

/* One stack as BCC prints it: "@ %016x %s" per frame, innermost first; JSON: an array. */
static void print_stack(const char *key, const struct pmutex_site *site)
{
	const char *const *names;
	int n = bcct_stack_frames(o.stacks, site->stack_id, true, (int)env.pid, &site->caller, &names);
	const uint64_t *addrs = n > 0 ? bcct_stack_addrs(o.stacks, true) : NULL;

	if (env.json) {
		json_str_array(key, names, n < 0 ? 0 : n);
		return;
	}
	for (int i = 0; i < n; i++)
		printf("@ %016llx %s\n", (unsigned long long)addrs[i], names[i]);
}

static void print_thread_origin(uint32_t tid)
{
	struct deadlock_parent p;
	bool known = !bpf_map_lookup_elem(bpf_map__fd(o.skel->maps.thread_to_parent), &tid, &p);
	char comm[sizeof(p.comm) + 1];

	if (known)
		snprintf(comm, sizeof(comm), "%s", p.comm);
	if (env.json) {
		out_begin();
		out_uint("tid", "%llu", tid);
		if (known) {
			out_uint("parent_tid", "%llu", p.tid);
			out_str("parent_comm", "%s", comm);
			print_stack("stack", &p.site);
		}
		out_end();
		return;
	}
	if (known) {
		printf("Thread %u created by Thread %u (%s) here: \n", tid, p.tid, comm);
		print_stack(NULL, &p.site);
	} else {
		printf("Could not find stack trace where Thread %u was created\n", tid);
	}
	printf("\n");
}

/* BCC's print_cycle. */
static void print_cycle(const struct graph *g, const size_t *cycle, long n)
{
	char (*names)[640] = calloc((size_t)n, sizeof(*names));
	uint32_t *tids = calloc((size_t)n, sizeof(*tids));
	size_t ntids = 0;

	if (!names || !tids) {
		bcct_err("out of memory");
		goto out;
	}
	/* M0, M1, ... in the order of the cycle: edge i leaves node M(i) */
	for (long i = 0; i < n; i++)
		mutex_name(g->nodes[g->src[cycle[i]]], (int)i, names[i], sizeof(names[i]));
	out_text("----------------\nPotential Deadlock Detected!\n\nCycle in lock order graph: ");
	for (long i = 0; i <= n; i++)
		out_text("%s%s", i ? " => " : "", names[i % n]);
	out_text("\n\n");
	out_list("cycle");
	for (long i = 0; env.json && i < n; i++) {
		char sym[512];

		out_begin();
		char id[24];

		snprintf(id, sizeof(id), "M%ld", i);
		out_str("mutex", "%s", id);
		out_uint("addr", "%llu", g->nodes[g->src[cycle[i]]]);
		if (sys_pid_object_symbol((pid_t)env.pid, g->nodes[g->src[cycle[i]]], sym, sizeof(sym)))
			out_str("symbol", "%s", sym);
		out_end();
	}
	out_list("acquisitions");
	for (long i = 0; i < n; i++) {
		const struct deadlock_edge *e = &g->vals[cycle[i]];
		const char *held = names[i], *taken = names[(i + 1) % n];
		char comm[sizeof(e->comm) + 1], id[24];
		size_t t = 0;

		snprintf(comm, sizeof(comm), "%s", e->comm);
		while (t < ntids && tids[t] != e->tid)
			t++;
		if (t == ntids)
			tids[ntids++] = e->tid;
		if (env.json) {
			out_begin();
			out_uint("tid", "%llu", e->tid);
			out_str("comm", "%s", comm);
			snprintf(id, sizeof(id), "M%ld", i);
			out_str("held", "%s", id);
			snprintf(id, sizeof(id), "M%ld", (i + 1) % n);
			out_str("acquired", "%s", id);
			print_stack("acquired_stack", &e->site2);
			print_stack("held_stack", &e->site1);
			out_end();
			continue;
		}
		printf("%s acquired here while holding %s in Thread %u (%s):\n", taken, held, e->tid, comm);
		print_stack(NULL, &e->site2);
		printf("\n%s previously acquired by the same Thread %u (%s) here:\n", held, e->tid, comm);
		print_stack(NULL, &e->site1);
		printf("\n");
	}
	out_list("threads");
	for (size_t t = 0; t < ntids; t++)
		print_thread_origin(tids[t]);
out:
	free(names);
	free(tids);
}

static int check_graph(void *ctx, bool final)
{
	struct graph g = { 0 };
	size_t *cycle = NULL;
	long n = 0;

	if (o.found) {          /* the report is out; this is the loop's closing call */
		out_interval_skip();
		return 0;
	}
	if (graph_read(&g, bpf_map__fd(o.skel->maps.edges)) ||
	    !(cycle = calloc(g.nnodes + 1, sizeof(*cycle))) || (n = graph_find_cycle(&g, cycle)) < 0) {
		bcct_err("out of memory reading the mutex graph");
		n = 0;
	}
	if (env.verbose || env.json) {
		out_begin_members();
		out_uint("mutexes", "Mutexes: %llu,", g.nnodes);
		out_uint("edges", "Edges: %llu", g.nedges);
		out_end();
	}
	if (o.dump_graph)
		dump_graph(&g);
	if (n > 0) {
		print_cycle(&g, cycle, n);
		o.found = true;
		bcct_stop();
	}
	free(cycle);
	graph_free(&g);
	return 0;
}

static int attach(void *ctx)
{
	return pmutex_attach((pid_t)env.pid, o.binary, &o.lock_symbols, &o.unlock_symbols,
			     &(struct pmutex_progs){ .lock = o.skel->progs.mutex_acquire,
						     .unlock = o.skel->progs.mutex_release,
						     .create = o.skel->progs.thread_create_call });
}

static int configure(void *p)
{
	struct deadlock_bpf *skel = p;

	o.skel = skel;
	if (bcct_map_resize(skel, "thread_to_held_mutexes", (unsigned)o.threads) ||
	    bcct_map_resize(skel, "thread_to_parent", (unsigned)o.threads) ||
	    bcct_map_resize(skel, "edges", (unsigned)o.edges))
		return BCCT_EXIT_FAIL;
	return bcct_stacks_renew(&o.stacks, skel->maps.pmutex_stacks, &(struct bcct_stack_fmt){ .user = true });
}

static int run(void)
{
	int err;

	if (!env.pid) {
		bcct_usage_err("the following arguments are required: pid");
		return BCCT_EXIT_USAGE;
	}
	if (pmutex_check_process((pid_t)env.pid))
		return BCCT_EXIT_FAIL;
	err = bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.banner = "Tracing... Hit Ctrl-C to end.",
		.on_interval = check_graph,
		.interval = 1,
	});
	bcct_stacks_free(o.stacks);
	o.stacks = NULL;
	/* BCC exits 1 once it has reported a potential deadlock */
	return err ? err : o.found ? BCCT_EXIT_FAIL : 0;
}

BCCT_APPLET(deadlock,
	.category = "library",
	.summary = "Detect potential deadlocks (lock inversions) in a running binary",
	.description =
	"Traces the pthread mutex lock and unlock calls of one process (uprobes) and builds the\n"
	"mutex wait graph: an edge (A, B) when a thread locked B while holding A. The first cycle\n"
	"found is reported with the stacks where each mutex was locked and where the threads were\n"
	"created, and the run ends with exit status 1. Recursive and shared mutexes are not\n"
	"understood (no self edges are recorded). Thread parents come from sched:sched_process_fork\n"
	"(BCC: a kretprobe on clone, which misses the threads glibc 2.34+ makes with clone3).",
	.examples =
	"    deadlock 181                 # Analyze PID 181\n"
	"    deadlock 181 --binary /lib/x86_64-linux-gnu/libc.so.6\n"
	"                                 # Analyze PID 181 and locks from this binary\n"
	"    deadlock 181 --verbose       # Analyze PID 181 and print statistics about\n"
	"                                 # the mutex wait graph\n"
	"    deadlock 181 --lock-symbols my_mutex_lock1,my_mutex_lock2 --unlock-symbols my_mutex_unlock1,my_mutex_unlock2\n"
	"                                 # Analyze PID 181 and trace custom mutex symbols\n"
	"    deadlock 181 --dump-graph graph.json\n"
	"                                 # Analyze PID 181 and dump the mutex wait graph\n",
	.opts = opts,
	.skeleton = &deadlock_bpf__skeleton,
	.run = run);
