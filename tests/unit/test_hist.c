/* Golden-file tests for core/hist.c. Golden files (tests/unit/golden/hist_*.txt) hold BCC's own
 * output where BCC's examples have it (tools/runqlat_example.txt, tools/runqlen_example.txt),
 * and otherwise text written from table.py's format strings.
 *
 * Usage: test_hist [SOURCE_ROOT]   (or BCCT_SRC=SOURCE_ROOT; default: next to this file)
 * BCCT_UPDATE_GOLDEN=1 rewrites the golden files (tests/unit/check.h): those holding BCC's own
 * output must then still match BCC's examples, so review the diff against them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/hist.h"
#include "core/opts.h"
#include "core/output.h"
#include "check.h"

#define NSLOTS 65

/* Capture of what a FILE*-taking printer writes. */
typedef void (*printer_fn)(FILE *, const uint64_t *, int, const char *);

static char *print_to_string(printer_fn print, const uint64_t *slots, int nslots,
			     const char *val_type)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	print(out, slots, nslots, val_type);
	fclose(out);
	return buf;
}

/* The JSON "ts" is the wall clock; replace every HH:MM:SS after "ts":" with XX:XX:XX. */
static void expect_log2(const char *test, const uint64_t *slots, const char *val_type,
			const char *golden)
{
	char *got = print_to_string(hist_print_log2, slots, NSLOTS, val_type);

	golden ? CHECK_GOLDEN(golden, got) : CHECK_STR(test, got, "");
	free(got);
}

static void expect_linear(const char *test, const uint64_t *slots, int nslots,
			  const char *val_type, const char *golden)
{
	char *got = print_to_string(hist_print_linear, slots, nslots, val_type);

	golden ? CHECK_GOLDEN(golden, got) : CHECK_STR(test, got, "");
	free(got);
}

static void test_log2(void)
{
	/* runqlat_example.txt, first histogram: slots 1..16. */
	uint64_t runqlat[NSLOTS] = { 0, 233, 742, 203, 173, 24, 0, 30, 6, 3, 5, 27, 30, 20, 29,
				     809, 64 };
	uint64_t single[NSLOTS] = { [5] = 7 };
	uint64_t slot1[NSLOTS] = { [1] = 5 };
	uint64_t empty[NSLOTS] = { 0 };
	uint64_t slot0_only[NSLOTS] = { [0] = 9 };   /* BCC never prints slot 0 */
	uint64_t narrow32[NSLOTS] = { [3] = 1, [32] = 2 };
	uint64_t wide[NSLOTS] = { [1] = 3, [33] = 1, [64] = 6 };

	expect_log2("log2 runqlat", runqlat, "usecs", "hist_log2_runqlat.txt");
	expect_log2("log2 single slot", single, "msecs", "hist_log2_single.txt");
	expect_log2("log2 slot 1 only", slot1, "usecs", "hist_log2_slot1.txt");
	expect_log2("log2 all empty", empty, "usecs", NULL);
	expect_log2("log2 slot 0 only", slot0_only, "usecs", NULL);
	expect_log2("log2 idx 32 stays narrow", narrow32, "nsecs", "hist_log2_narrow32.txt");
	expect_log2("log2 idx > 32 goes wide", wide, "nsecs", "hist_log2_wide.txt");
}

static void test_linear(void)
{
	/* runqlen_example.txt: heavily loaded system, and the idle one. */
	uint64_t runqlen[16] = { 1068, 642, 369, 183, 104, 42, 13, 2, 1 };
	uint64_t idle[16] = { 1776 };
	uint64_t empty[16] = { 0 };

	expect_linear("linear runqlen", runqlen, 16, "runqlen", "hist_linear_runqlen.txt");
	expect_linear("linear slot 0 only", idle, 16, "runqlen", "hist_linear_single.txt");
	expect_linear("linear all empty", empty, 16, "runqlen", NULL);
}

/* hist_emit_* in text mode: section header, then the histogram, on stdout. */
static void test_sections(void)
{
	uint64_t pid0[NSLOTS] = { 0, 351, 96, 437, 12, 10, 0, 16, 0, 0, 0, 0, 0, 0, 1 };
	uint64_t pid12929[NSLOTS] = { 0, 1, 0, 1 };
	uint64_t cpu0[8] = { 257, 64, 5, 0, 0, 0, 1 };
	uint64_t cpu3[8] = { [7] = 327 };
	char *got;

	env.json = false;
	check_capture_begin();
	hist_emit_log2("pid", "0", pid0, NSLOTS, "usecs");
	hist_emit_log2("pid", "12929", pid12929, NSLOTS, "usecs");
	got = check_capture_end();
	CHECK_GOLDEN("hist_log2_sections.txt", got);
	free(got);

	check_capture_begin();
	hist_emit_linear("cpu", "0", cpu0, 8, "runqlen");
	hist_emit_linear("cpu", "3", cpu3, 8, "runqlen");
	got = check_capture_end();
	CHECK_GOLDEN("hist_linear_sections.txt", got);
	free(got);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	hist_print_section(out, "disk", "sda");
	fclose(out);
	CHECK_STR("section header", buf, "\ndisk = sda\n");
	free(buf);
}

static void test_json(void)
{
	uint64_t lat[NSLOTS] = { [2] = 3, [4] = 1 };
	uint64_t qlen[8] = { [2] = 5, [4] = 2 };
	uint64_t empty[NSLOTS] = { 0 };
	uint64_t top[NSLOTS] = { [63] = 1, [64] = 2 };
	uint64_t one[NSLOTS] = { [1] = 7 };
	uint64_t zero_len[4] = { 4 };
	char *got;

	env.json = true;
	check_capture_begin();
	/* One interval object: its histograms in "hists", the summary beside them. */
	out_interval_open();
	hist_emit_log2("pid", "123", lat, NSLOTS, "usecs");
	hist_emit_linear(NULL, NULL, qlen, 8, "runqlen");
	hist_emit_log2("cpu", "1", empty, NSLOTS, "usecs");
	hist_emit_log2(NULL, NULL, top, NSLOTS, "nsecs");
	hist_print_summary("usecs", 4097, 2048);
	out_interval_close();
	/* An empty interval still prints its object. */
	out_interval_open();
	out_interval_close();
	/* The member writers nest inside a caller's object. */
	json_begin_object(NULL);
	json_int("wrapper", 1);
	json_begin_object("lat");
	hist_json_log2(one, NSLOTS, "usecs");
	json_end_object();
	json_begin_object("qlen");
	hist_json_linear(zero_len, 4, "len");
	json_end_object();
	json_end_object();
	/* biolatency -j: BCC's layout, valid JSON, in text mode. */
	env.json = false;
	hist_print_bcc_json("disk", "sda", lat, NSLOTS, "usecs");
	hist_print_bcc_json(NULL, NULL, empty, NSLOTS, "msecs");
	got = check_capture_end();
	env.json = false;
	check_mask_json_times(got);
	CHECK_GOLDEN("hist_json.txt", got);
	free(got);
}

static void test_widen(void)
{
	uint32_t src[4] = { 0, 1, 4000000000u, UINT32_MAX };
	uint64_t dst[4] = { 9, 9, 9, 9 };
	char got[128];

	hist_widen(dst, src, 4);
	snprintf(got, sizeof(got), "%llu %llu %llu %llu", (unsigned long long)dst[0],
		 (unsigned long long)dst[1], (unsigned long long)dst[2],
		 (unsigned long long)dst[3]);
	CHECK_STR("widen", got, "0 1 4000000000 4294967295");
}

int main(int argc, char **argv)
{
	check_init(argc, argv);
	test_log2();
	test_linear();
	test_sections();
	test_json();
	test_widen();
	return check_summary("hist");
}
