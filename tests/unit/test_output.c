/* core/output.c: the text row writer prints each field with its format, one space apart; the
 * JSON writer prints valid JSON whatever the bytes and values (golden/output_json.txt):
 * escapes, invalid UTF-8 bytes as \udcNN (PEP 383), times on every object, interval objects,
 * shortest round-trip floats, null for NaN/infinity, nesting.
 *
 * Usage: test_output [SOURCE_ROOT]   (or BCCT_SRC=SOURCE_ROOT; default: next to this file) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/opts.h"
#include "core/output.h"
#include "check.h"

static void one_row(void)
{
	out_header("%-6s %-16s %4s %s", "PID", "COMM", "FD", "PATH");
	out_text("banner\n");
	out_begin();
	out_int("pid", "%-6lld", 42);
	out_str("comm", "%-16s", "cat");
	out_int("fd", "%4lld", -1);
	out_uint("bytes", "%llu", 18446744073709551615ull);
	out_float("lat_ms", "%7.2f", 0.1);
	out_str("path", "%s", "/etc/\"x\"\\\n");
	out_end();
}

static void test_text(void)
{
	char *got;

	env.json = false;
	check_capture_begin();
	one_row();
	got = check_capture_end();
	CHECK_STR("text row", got,
		  "PID    COMM               FD PATH\nbanner\n42     cat                -1 18446744073709551615    0.10 /etc/\"x\"\\\n\n");
	free(got);
}

static void test_json(void)
{
	char *got;

	env.json = true;
	check_capture_begin();
	one_row();
	out_begin();
	out_str("utf8", "%s", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9d");
	out_str("bad", "%s", "a\xff" "b\xc3(" "\xed\xa0\x80" "\xc0\xaf" "z");
	out_str("control", "%s", "\x01\t\r\x1f");
	out_str("null", "%s", NULL);
	out_end();
	out_begin();
	out_float("third", "%f", 1.0 / 3);
	out_float("tenth", "%f", 0.1);
	out_float("seconds", "%f", 12345.678901);
	out_float("small", "%f", 5.1757e-05);
	out_float("big", "%f", 1e21);
	out_float("integral", "%f", 13112400.0);
	out_float("whole", "%f", 2.0);
	out_float("neg_zero", "%f", -0.0);
	out_float("nan", "%f", NAN);
	out_float("inf", "%f", -INFINITY);
	out_int("min", "%lld", -9223372036854775807ll - 1);
	out_end();
	json_begin_object(NULL);
	json_begin_array("a");
	json_begin_object(NULL);
	json_begin_array("b");
	json_int(NULL, 1);
	json_str(NULL, "two");
	json_end_array();
	json_bool("c", false);
	json_end_object();
	json_begin_object(NULL);
	json_end_object();
	json_end_array();
	json_end_object();
	/* Rows inside an interval object: "rows" unless named, and a member object. */
	out_interval_open();
	out_begin();
	out_int("pid", "%lld", 1);
	out_end();
	out_member_begin("summary");
	json_int("count", 1);
	json_end_object();
	out_list("stacks");
	out_interval_close();
	/* An event's time from its kernel timestamp; a skipped interval prints nothing. */
	out_event_time(1);
	out_begin();
	out_end();
	out_interval_open();
	out_interval_skip();
	out_interval_close();
	got = check_capture_end();
	env.json = false;
	check_mask_json_times(got);
	CHECK_GOLDEN("output_json.txt", got);
	free(got);
}

/* out_python_float: what Python's str() prints for these (BCC's "%s" % (bytes / 1024)). */
static void test_python_float(void)
{
	static const struct { double v; const char *want; } cases[] = {
		{ 4.0, "4.0" }, { 10.5, "10.5" }, { 0.0, "0.0" }, { 1.0 / 1024, "0.0009765625" },
		{ 0.1, "0.1" }, { 1234567.5, "1234567.5" }, { 1e16, "1e+16" }, { 5e-05, "5e-05" },
		{ 123456789012.25, "123456789012.25" }, { -2.0, "-2.0" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR("python float", out_python_float(buf, sizeof(buf), cases[i].v), cases[i].want);
}

/* out_text_bytes: what Python's bytes.decode("utf-8", "replace") gives (the expected bytes were
 * made by Python 3 from the same input): one U+FFFD per maximal invalid subpart, NULs kept. */
static void test_text_bytes(void)
{
	static const char in[] = "\x6f\x6b\x20\xc3\xa9\x20\xe2\x82\x41\x20\xff\xfe\x20\xed\xa0\x80\x20\xf0\x9f\x90\x20\xf4\x90\x80\x80\x20\xc0\xaf\x20\x00\x65\x6e\x64\x20\xe2\x82";
	static const char want[] = "\x6f\x6b\x20\xc3\xa9\x20\xef\xbf\xbd\x41\x20\xef\xbf\xbd\xef\xbf\xbd\x20\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\x20\xef\xbf\xbd\x20\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\x20\xef\xbf\xbd\xef\xbf\xbd\x20\x00\x65\x6e\x64\x20\xef\xbf\xbd";
	char *got;

	env.json = false;
	check_capture_begin();
	out_text_bytes(in, sizeof(in) - 1);
	got = check_capture_end();
	CHECK(!memcmp(got, want, sizeof(want) - 1), "text bytes decoded as Python's errors=\"replace\"");
	free(got);
}

int main(int argc, char **argv)
{
	check_init(argc, argv);
	test_text();
	test_text_bytes();
	test_json();
	test_python_float();
	return check_summary("output");
}
