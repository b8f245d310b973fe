/* core/pmc: the table of hardware events by probe name, and the one line that says why a
 * hardware event cannot be opened (no PMU, event not counted, perf_event_paranoid, other
 * errors). Runs without privileges and without a PMU. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/perf_event.h>
#include "core/pmc.h"
#include "check.h"

int main(void)
{
	const struct pmc_event *ev = pmc_find("cache_misses", strlen("cache_misses"));
	char buf[256];

	CHECK(ev && ev->type == PERF_TYPE_HARDWARE && ev->config == PERF_COUNT_HW_CACHE_MISSES,
	      "cache_misses is the hardware cache-misses event");
	CHECK_STR("event name", ev ? ev->name : "", "cache-misses");
	ev = pmc_find("cache_references_perf", strlen("cache_references"));
	CHECK(ev && ev->config == PERF_COUNT_HW_CACHE_REFERENCES, "a prefix of the given length");
	CHECK(!pmc_find("sample", 6), "profile's software sampling is no PMC");
	CHECK(!pmc_find("cache_miss", 10), "no partial names");

	CHECK_STR("no PMU", pmc_why(ENOENT, false, 2, "cache-misses", "software, tracepoint", buf, sizeof(buf)),
		  "no hardware PMU (event sources: software, tracepoint): a virtual machine without a virtual PMU?");
	CHECK_STR("no PMU whatever the errno", pmc_why(EACCES, false, 4, "cache-misses", "", buf, sizeof(buf)),
		  "no hardware PMU (event sources: none): a virtual machine without a virtual PMU?");
	CHECK_STR("event unsupported", pmc_why(ENOENT, true, 2, "cache-misses", "cpu", buf, sizeof(buf)),
		  "the hardware PMU does not count cache-misses");
	CHECK_STR("event unsupported (EOPNOTSUPP)", pmc_why(EOPNOTSUPP, true, 2, "instructions", "cpu", buf, sizeof(buf)),
		  "the hardware PMU does not count instructions");
	CHECK_STR("paranoid", pmc_why(EACCES, true, 3, "cache-misses", "cpu", buf, sizeof(buf)),
		  "kernel.perf_event_paranoid is 3: CPU-wide hardware events need CAP_PERFMON (or a setting of 2 or less)");
	CHECK_STR("no capability", pmc_why(EPERM, true, 1, "cache-misses", "cpu", buf, sizeof(buf)),
		  "not allowed to open CPU-wide hardware events (CAP_PERFMON or CAP_SYS_ADMIN; kernel.perf_event_paranoid is 1)");
	CHECK_STR("busy", pmc_why(EBUSY, true, 2, "cache-misses", "cpu", buf, sizeof(buf)),
		  "the hardware PMU is busy: another user holds cache-misses exclusively");
	CHECK_STR("fds", pmc_why(EMFILE, true, 2, "cache-misses", "cpu", buf, sizeof(buf)),
		  "too many open files for one cache-misses event per CPU");
	CHECK_STR("other", pmc_why(ENOMEM, true, 2, "cache-misses", "cpu", buf, sizeof(buf)),
		  "cannot open cache-misses: Cannot allocate memory");
	return check_summary("pmc");
}
