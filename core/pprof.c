/* --pprof FILE: the recorded stacks as a gzip-compressed profile.proto, the format of
 * github.com/google/pprof/proto/profile.proto read by `go tool pprof`, Grafana Pyroscope and
 * Parca. A small protobuf encoder of our own: the profile needs only varints, packed varints,
 * strings and nested messages.
 *
 * Shape: one function per frame name; one location per recorded frame (its address, its mapping,
 * one line naming the function); one mapping per module (the mapped file with its build id, the
 * kernel as "[kernel.kallsyms]"), all marked as symbolized so pprof never looks for the binaries;
 * one sample per stack, locations innermost first, with labels comm and pid. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "core/stackprof.h"

/* ---- protobuf wire format ---- */

struct pb {
	unsigned char *data;
	size_t len, cap;
	bool failed;            /* out of memory: the buffer is left as it was */
};

static void pb_put(struct pb *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		unsigned char *bigger;

		while (cap < b->len + n)
			cap *= 2;
		if (!(bigger = realloc(b->data, cap))) {
			b->failed = true;
			return;
		}
		b->data = bigger;
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void pb_varint(struct pb *b, uint64_t v)
{
	unsigned char out[10];
	size_t n = 0;

	do {
		out[n++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
	pb_put(b, out, n);
}

enum { WIRE_VARINT = 0, WIRE_LEN = 2 };

/* A varint field; zero is the default and left out, as proto3 does. int64 values go as their
 * two's complement. */
static void pb_uint(struct pb *b, unsigned field, uint64_t v)
{
	if (!v)
		return;
	pb_varint(b, (uint64_t)field << 3 | WIRE_VARINT);
	pb_varint(b, v);
}

static void pb_bytes(struct pb *b, unsigned field, const void *p, size_t n)
{
	pb_varint(b, (uint64_t)field << 3 | WIRE_LEN);
	pb_varint(b, n);
	pb_put(b, p, n);
}

/* A nested message or packed array built in sub, appended and emptied for the next one. */
static void pb_sub(struct pb *b, unsigned field, struct pb *sub)
{
	b->failed |= sub->failed;
	pb_bytes(b, field, sub->data, sub->len);
	sub->len = 0;
}

/* ---- profile.proto field numbers ---- */
enum {
	PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE = 2, PROFILE_MAPPING = 3, PROFILE_LOCATION = 4,
	PROFILE_FUNCTION = 5, PROFILE_STRING_TABLE = 6, PROFILE_TIME_NANOS = 9,
	PROFILE_DURATION_NANOS = 10, PROFILE_PERIOD_TYPE = 11, PROFILE_PERIOD = 12,
	VALUE_TYPE_TYPE = 1, VALUE_TYPE_UNIT = 2,
	SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3,
	LABEL_KEY = 1, LABEL_STR = 2, LABEL_NUM = 3,
	MAPPING_ID = 1, MAPPING_FILENAME = 5, MAPPING_BUILD_ID = 6, MAPPING_HAS_FUNCTIONS = 7,
	MAPPING_HAS_FILENAMES = 8, MAPPING_HAS_LINE_NUMBERS = 9, MAPPING_HAS_INLINE_FRAMES = 10,
	LOCATION_ID = 1, LOCATION_MAPPING_ID = 2, LOCATION_ADDRESS = 3, LOCATION_LINE = 4,
	LINE_FUNCTION_ID = 1,
	FUNCTION_ID = 1, FUNCTION_NAME = 2, FUNCTION_SYSTEM_NAME = 3,
};

static void value_type(struct pb *b, unsigned field, struct pb *sub, uint32_t type, uint32_t unit)
{
	pb_uint(sub, VALUE_TYPE_TYPE, type);
	pb_uint(sub, VALUE_TYPE_UNIT, unit);
	pb_sub(b, field, sub);
}

/* Ids by string index: function ids by name, mapping ids by module (1-based; 0: none yet). */
struct ids {
	uint32_t *function_of, *mapping_of;
	uint32_t nfunctions, nmappings;
};

static void encode_mapping(struct pb *out, struct pb *sub, struct stackprof *p, uint32_t id,
			   uint32_t module, uint32_t build_id)
{
	pb_uint(sub, MAPPING_ID, id);
	pb_uint(sub, MAPPING_FILENAME, module);
	pb_uint(sub, MAPPING_BUILD_ID, build_id);
	/* symbolized here: pprof must not look for (or at) the traced binaries */
	pb_uint(sub, MAPPING_HAS_FUNCTIONS, 1);
	pb_uint(sub, MAPPING_HAS_FILENAMES, 1);
	pb_uint(sub, MAPPING_HAS_LINE_NUMBERS, 1);
	pb_uint(sub, MAPPING_HAS_INLINE_FRAMES, 1);
	pb_sub(out, PROFILE_MAPPING, sub);
	(void)p;
}

/* Functions, mappings and locations, one location per recorded frame (id = frame index + 1). */
static void encode_frames(struct pb *out, struct pb *sub, struct pb *line, struct stackprof *p,
			  struct ids *ids, uint32_t unknown_module)
{
	for (size_t i = 0; i < stackprof_nframes(p); i++) {
		const struct stackprof_frame_rec *f = stackprof_frame_at(p, i);
		uint32_t module = f->module ? f->module : unknown_module;

		if (!ids->function_of[f->name]) {
			ids->function_of[f->name] = ++ids->nfunctions;
			pb_uint(sub, FUNCTION_ID, ids->nfunctions);
			pb_uint(sub, FUNCTION_NAME, f->name);
			pb_uint(sub, FUNCTION_SYSTEM_NAME, f->name);
			pb_sub(out, PROFILE_FUNCTION, sub);
		}
		if (!ids->mapping_of[module]) {
			ids->mapping_of[module] = ++ids->nmappings;
			encode_mapping(out, sub, p, ids->nmappings, module, f->build_id);
		}
		pb_uint(line, LINE_FUNCTION_ID, ids->function_of[f->name]);
		pb_uint(sub, LOCATION_ID, i + 1);
		pb_uint(sub, LOCATION_MAPPING_ID, ids->mapping_of[module]);
		pb_uint(sub, LOCATION_ADDRESS, f->addr);
		pb_sub(sub, LOCATION_LINE, line);
		pb_sub(out, PROFILE_LOCATION, sub);
	}
}

static void encode_samples(struct pb *out, struct pb *sub, struct pb *packed, struct stackprof *p,
			   uint32_t comm_key, uint32_t pid_key)
{
	const struct stackprof_desc *d = stackprof_desc(p);

	for (size_t i = 0; i < stackprof_nsamples(p); i++) {
		const struct stackprof_sample_rec *s = stackprof_sample_at(p, i);

		for (int f = 0; f < s->n; f++)
			pb_varint(packed, (uint64_t)s->frames[f] + 1);
		pb_sub(sub, SAMPLE_LOCATION_ID, packed);
		for (int v = 0; v < 2 && d->values[v].type; v++)
			pb_varint(packed, s->value * d->values[v].scale);
		pb_sub(sub, SAMPLE_VALUE, packed);
		pb_uint(packed, LABEL_KEY, comm_key);
		pb_uint(packed, LABEL_STR, s->comm);
		pb_sub(sub, SAMPLE_LABEL, packed);
		if (s->pid >= 0) {
			pb_uint(packed, LABEL_KEY, pid_key);
			pb_uint(packed, LABEL_NUM, (uint64_t)s->pid);
			pb_sub(sub, SAMPLE_LABEL, packed);
		}
		pb_sub(out, PROFILE_SAMPLE, sub);
	}
}

/* The whole Profile message into out. */
static int encode(struct stackprof *p, struct pb *out)
{
	const struct stackprof_desc *d = stackprof_desc(p);
	struct pb sub = { 0 }, inner = { 0 };
	struct ids ids = { 0 };
	uint32_t vt[2][2] = { { 0 } }, comm_key, pid_key, unknown;
	struct timespec ts;
	int nv = 0;

	for (; nv < 2 && d->values[nv].type; nv++) {
		vt[nv][0] = stackprof_intern(p, d->values[nv].type);
		vt[nv][1] = stackprof_intern(p, d->values[nv].unit);
	}
	comm_key = stackprof_intern(p, "comm");
	pid_key = stackprof_intern(p, "pid");
	unknown = stackprof_intern(p, "[unknown]");
	/* every string is interned now: the tables below are indexed by string */
	ids.function_of = calloc(stackprof_nstrings(p), sizeof(uint32_t));
	ids.mapping_of = calloc(stackprof_nstrings(p), sizeof(uint32_t));
	if (!ids.function_of || !ids.mapping_of || unknown == UINT32_MAX || comm_key == UINT32_MAX ||
	    pid_key == UINT32_MAX || vt[nv - 1][1] == UINT32_MAX)
		goto nomem;
	for (int v = 0; v < nv; v++)
		value_type(out, PROFILE_SAMPLE_TYPE, &sub, vt[v][0], vt[v][1]);
	encode_samples(out, &sub, &inner, p, comm_key, pid_key);
	encode_frames(out, &sub, &inner, p, &ids, unknown);
	for (size_t i = 0; i < stackprof_nstrings(p); i++) {
		const char *s = stackprof_string(p, (uint32_t)i);

		pb_bytes(out, PROFILE_STRING_TABLE, s, strlen(s));
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	pb_uint(out, PROFILE_TIME_NANOS, stackprof_start_ns(p));
	pb_uint(out, PROFILE_DURATION_NANOS,
		(uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec - stackprof_start_ns(p));
	/* the period: what one unit of the first value stands for in the last value type */
	value_type(out, PROFILE_PERIOD_TYPE, &sub, vt[nv - 1][0], vt[nv - 1][1]);
	pb_uint(out, PROFILE_PERIOD, d->values[nv - 1].scale);
	if (out->failed || sub.failed || inner.failed)
		goto nomem;
	free(ids.function_of);
	free(ids.mapping_of);
	free(sub.data);
	free(inner.data);
	return 0;
nomem:
	free(ids.function_of);
	free(ids.mapping_of);
	free(sub.data);
	free(inner.data);
	errno = ENOMEM;
	return -1;
}

/* gzip (deflate with a gzip header) of data into f. */
static int gzip_to(FILE *f, const unsigned char *data, size_t len)
{
	unsigned char buf[65536];
	z_stream z;
	int rc;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		errno = ENOMEM;
		return -1;
	}
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;         /* profiles stay far below 4 GiB: the tables are bounded */
	do {
		z.next_out = buf;
		z.avail_out = sizeof(buf);
		rc = deflate(&z, Z_FINISH);
		if (fwrite(buf, 1, sizeof(buf) - z.avail_out, f) != sizeof(buf) - z.avail_out)
			break;
	} while (rc == Z_OK);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

int pprof_write(struct stackprof *p, const char *path)
{
	struct pb out = { 0 };
	FILE *f;
	int err = -1;

	if (encode(p, &out))
		goto done;
	if (!(f = fopen(path, "we")))
		goto done;
	err = gzip_to(f, out.data, out.len);
	if (fclose(f) && !err)
		err = -1;
done:
	free(out.data);
	return err;
}
