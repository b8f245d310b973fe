/* sslsniff: plaintext read and written through OpenSSL, GnuTLS and NSS (NSPR), as BCC's
 * sslsniff: the call, the process, the length and the data (text, or --hexdump). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include "core/applet.h"
#include "core/output.h"
#include "core/run.h"
#include "core/sys/sys.h"
#include "sslsniff.skel.h"
#include "sslsniff.h"

BCCT_SKELETON(sslsniff_bpf);

static struct {
	bool extra, no_openssl, no_gnutls, no_nss, hexdump, latency, handshake;
	long max_buffer_size;
	struct bcct_list extra_libs;
	struct sslsniff_bpf *skel;
	unsigned long long first_ts;
} o = { .max_buffer_size = 8192 };

static const struct bcct_opt opts[] = {
	OPT_INT_('p', "pid", OPT_DEST(env, pid), "PID", "sniff this PID only.", 1, INT_MAX),
	OPT_FUNC_('u', "uid", OPT_DEST(env, uid), "UID", "sniff this UID only.", bcct_parse_uid),
	OPT_FLAG_('x', "extra", &o.extra, "show extra fields (UID, TID)"),
	OPT_STR_('c', "comm", OPT_DEST(env, comm), "COMM", "sniff only commands matching string."),
	OPT_FLAG_('o', "no-openssl", &o.no_openssl, "do not show OpenSSL calls."),
	OPT_FLAG_('g', "no-gnutls", &o.no_gnutls, "do not show GnuTLS calls."),
	OPT_FLAG_('n', "no-nss", &o.no_nss, "do not show NSS calls."),
	OPT_COUNT_('d', "debug", OPT_DEST(env, verbose), "debug mode (as -v)."),
	OPT_FLAG_(0, "hexdump", &o.hexdump, "show data as hexdump instead of trying to decode it as UTF-8"),
	OPT_INT_(0, "max-buffer-size", &o.max_buffer_size, "MAX_BUFFER_SIZE",
		 "Size of captured buffer (at most 16384)", 1, SSLSNIFF_BUF_MAX),
	OPT_FLAG_('l', "latency", &o.latency, "show function latency"),
	OPT_FLAG_(0, "handshake", &o.handshake,
		  "show SSL handshake latency, enabled only if latency option is on."),
	OPT_LIST_(0, "extra-lib", &o.extra_libs, "EXTRA_LIB",
		  "Intercept calls from extra library (format: lib_type:lib_path)"),
	STD_CGROUP,
	STD_JSON,
	STD_VERBOSE,
	OPT_END_,
};

/* Which function is which: where the buffer and count are (plain or _ex) and the direction. */
enum hook_kind { HOOK_READ, HOOK_WRITE, HOOK_READ_EX, HOOK_WRITE_EX, HOOK_HANDSHAKE };
struct hook {
	const char *func;
	enum hook_kind kind;
};
struct tls_library {
	const char *type;   /* --extra-lib's TYPE */
	const char *name;   /* as BCC finds it: "ssl" is libssl.so.N */
	const struct hook *hooks;
};

static const struct hook openssl_hooks[] = {
	{ "SSL_write", HOOK_WRITE }, { "SSL_read", HOOK_READ },
	/* OpenSSL 1.1.1 and later: the count in a size_t the caller passes. */
	{ "SSL_write_ex", HOOK_WRITE_EX }, { "SSL_read_ex", HOOK_READ_EX },
	{ "SSL_do_handshake", HOOK_HANDSHAKE }, { NULL },
};
static const struct hook gnutls_hooks[] = {
	{ "gnutls_record_send", HOOK_WRITE }, { "gnutls_record_recv", HOOK_READ }, { NULL },
};
/* NSS's TLS sockets are NSPR file descriptors: PR_Write/PR_Send of plaintext (as BCC, every
 * NSPR descriptor's, files too). */
static const struct hook nss_hooks[] = {
	{ "PR_Write", HOOK_WRITE }, { "PR_Send", HOOK_WRITE },
	{ "PR_Read", HOOK_READ }, { "PR_Recv", HOOK_READ }, { NULL },
};
static const struct tls_library libraries[] = {
	{ "openssl", "ssl", openssl_hooks },
	{ "gnutls", "gnutls", gnutls_hooks },
	{ "nss", "nspr4", nss_hooks },
};

static const char *const call_names[] = {
	[SSLSNIFF_READ] = "READ/RECV", [SSLSNIFF_WRITE] = "WRITE/SEND", [SSLSNIFF_HANDSHAKE] = "HANDSHAKE",
};

static void header(void *ctx)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%-12s %-18s %-16s %-7s %-7s", "FUNC", "TIME(s)", "COMM",
			 "PID", "LEN");

	if (o.extra)
		n += snprintf(line + n, sizeof(line) - n, " %-7s %-7s", "UID", "TID");
	if (o.latency)
		snprintf(line + n, sizeof(line) - n, " %-7s", "LAT(ms)");
	out_header("%s", line);
}

/* BCC's --hexdump: the bytes in hex, 32 digits (16 bytes) a line. */
static void print_hex(const unsigned char *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		printf("%02x%s", p[i], i + 1 < n && (i + 1) % 16 == 0 ? "\n" : "");
}

static int on_event(void *ctx, const void *data, size_t size)
{
	const struct sslsniff_event *e = data;
	unsigned int n = e->buf_size;
	char lat[32];

	if (size < SSLSNIFF_EVENT_BASE || n > size - SSLSNIFF_EVENT_BASE || e->rw < 0 ||
	    e->rw > SSLSNIFF_HANDSHAKE)
		return 0;
	if (!o.first_ts)
		o.first_ts = e->ts;   /* BCC's TIME(s): since the first event */
	out_event_time(e->ts);
	out_begin();
	out_str("func", "%-12s", call_names[e->rw]);
	out_float("time_s", "%-18.9f", (e->ts - o.first_ts) / 1e9);
	out_str("comm", "%-16s", e->comm);
	out_int("pid", "%-7lld", e->pid);
	out_int("len", "%-6lld", e->len);
	if (o.extra) {
		out_int("uid", "%-7lld", e->uid);
		out_int("tid", "%-7lld", e->tid);
	}
	if (o.latency) {
		if (env.json)
			json_float("lat_ms", e->delta_ns / 1e6);
		snprintf(lat, sizeof(lat), e->delta_ns ? "%.3f" : "N/A", e->delta_ns / 1e6);
		if (!env.json)
			out_str("lat_ms", "%-7s", lat);
	}
	if (env.json) {
		json_bytes("data", e->buf, n);
		/* The bytes of the call not captured (over --max-buffer-size, or unreadable). */
		json_int("truncated_bytes", e->rw == SSLSNIFF_HANDSHAKE ? 0 : (long long)e->len - n);
	}
	out_end();
	if (env.json || !n)
		return 0;
	printf("----- DATA -----\n");
	if (o.hexdump)
		print_hex(e->buf, n);
	else
		out_text_bytes(e->buf, n);
	if (e->len > n)
		printf("\n----- END DATA (TRUNCATED, %u bytes lost) -----\n\n\n", e->len - n);
	else
		printf("\n----- END DATA -----\n\n\n");
	return 0;
}

static int configure(void *p)
{
	struct sslsniff_bpf *s = p;

	o.skel = s;
	s->rodata->max_buf = o.max_buffer_size;
	return 0;
}

static int attach_hook(const struct sys_library *lib, pid_t pid, const struct hook *h)
{
	struct bpf_program *entry, *ret;
	int err;

	switch (h->kind) {
	case HOOK_READ: entry = o.skel->progs.rw_entry; ret = o.skel->progs.read_return; break;
	case HOOK_WRITE: entry = o.skel->progs.rw_entry; ret = o.skel->progs.write_return; break;
	case HOOK_READ_EX: entry = o.skel->progs.rw_ex_entry; ret = o.skel->progs.read_return; break;
	case HOOK_WRITE_EX: entry = o.skel->progs.rw_ex_entry; ret = o.skel->progs.write_return; break;
	default: entry = o.skel->progs.handshake_entry; ret = o.skel->progs.handshake_return; break;
	}
	err = bcct_attach_uprobe(entry, false, pid, lib->attach, h->func, 0);
	return err ? err : bcct_attach_uprobe(ret, true, pid, lib->attach, h->func, 0);
}

/* Every hook of library `name` (of type t) that it has; the count attached, or an exit status
 * (negative: -BCCT_EXIT_FAIL after the message). */
static int attach_library(const struct tls_library *t, const char *name, bool must_exist)
{
	struct sys_library lib;
	int attached = 0, err = 0;
	pid_t pid;

	if (sys_library_open(&lib, env.pid, name, false)) {
		if (must_exist) {
			bcct_err("--extra-lib %s:%s: no such library", t->type, name);
			return -BCCT_EXIT_FAIL;
		}
		bcct_info("no %s library (%s) found: its calls are not traced", t->type, name);
		return 0;
	}
	pid = lib.fd >= 0 ? env.pid : 0;   /* breakpoints in that process only, when it exists */
	for (const struct hook *h = t->hooks; h->func && !err; h++) {
		if (h->kind == HOOK_HANDSHAKE && !(o.latency && o.handshake))
			continue;
		err = attach_hook(&lib, pid, h);
		if (err == -ENOENT) {   /* an older OpenSSL has no _ex calls */
			bcct_info("%s: no function %s", lib.shown, h->func);
			err = 0;
			continue;
		}
		attached += !err;
	}
	if (err) {
		char why[128];

		libbpf_strerror(err, why, sizeof(why));
		bcct_err("%s: cannot attach uprobes: %s", lib.shown, why);
		attached = -BCCT_EXIT_FAIL;
	} else {
		bcct_info("%s: %d functions of %s", t->type, attached, lib.shown);
	}
	sys_library_close(&lib);
	return attached;
}

static const struct tls_library *library_type(const char *type, size_t len)
{
	for (size_t i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++)
		if (strlen(libraries[i].type) == len && !strncmp(libraries[i].type, type, len))
			return &libraries[i];
	return NULL;
}

static int attach(void *ctx)
{
	const bool skip[] = { o.no_openssl, o.no_gnutls, o.no_nss };
	int total = 0, n;

	for (size_t i = 0; i < sizeof(libraries) / sizeof(libraries[0]); i++) {
		if (skip[i])
			continue;
		if ((n = attach_library(&libraries[i], libraries[i].name, false)) < 0)
			return -n;
		total += n;
	}
	for (int i = 0; i < o.extra_libs.n; i++) {
		const char *arg = o.extra_libs.v[i], *colon = strchr(arg, ':');

		if ((n = attach_library(library_type(arg, colon - arg), colon + 1, true)) < 0)
			return -n;
		total += n;
	}
	if (!total) {
		bcct_err("no OpenSSL, GnuTLS or NSS library found to attach to");
		return BCCT_EXIT_FAIL;
	}
	return 0;
}

static int run(void)
{
	/* --extra-lib TYPE:PATH, checked before anything is loaded (argparse's type check). */
	for (int i = 0; i < o.extra_libs.n; i++) {
		const char *arg = o.extra_libs.v[i], *colon = strchr(arg, ':');

		struct stat st;

		if (!colon || !library_type(arg, colon - arg)) {
			bcct_usage_err("argument --extra-lib: %s: %s", !colon ? "Invalid SSL library param" :
				       "Invalid SSL library type", arg);
			return BCCT_EXIT_USAGE;
		}
		/* BCC's os.path.isfile, as we see it (with -p the process's own file is looked up when
		 * attaching). */
		if (!env.pid && (stat(colon + 1, &st) || !S_ISREG(st.st_mode))) {
			bcct_usage_err("argument --extra-lib: Invalid library path: %s", colon + 1);
			return BCCT_EXIT_USAGE;
		}
	}
	return bcct_run(&(struct bcct_run){
		.configure = configure,
		.attach = attach,
		.on_start = header,
		.on_event = on_event,
		/* Events of up to 16 KiB: room for a burst of them. */
		.perf_pages = 256,
	});
}

BCCT_APPLET(sslsniff,
	.category = "library",
	.summary = "Sniff SSL data",
	.examples =
	"    sslsniff              # sniff OpenSSL and GnuTLS functions\n"
	"    sslsniff -p 181       # sniff PID 181 only\n"
	"    sslsniff -u 1000      # sniff only UID 1000\n"
	"    sslsniff -c curl      # sniff curl command only\n"
	"    sslsniff --no-openssl # don't show OpenSSL calls\n"
	"    sslsniff --no-gnutls  # don't show GnuTLS calls\n"
	"    sslsniff --no-nss     # don't show NSS calls\n"
	"    sslsniff --hexdump    # show data as hex instead of trying to decode it as UTF-8\n"
	"    sslsniff -x           # show process UID and TID\n"
	"    sslsniff -l           # show function latency\n"
	"    sslsniff -l --handshake  # show SSL handshake latency\n"
	"    sslsniff --extra-lib openssl:/path/libssl.so.1.1 # sniff extra library\n",
	.opts = opts,
	.skeleton = &sslsniff_bpf__skeleton,
	.run = run);
