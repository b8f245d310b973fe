/* Prometheus metrics from applets' own --json output (docs/JSON.md, docs/METRICS.md), for
 * `bcct serve`. An applet served prints one JSON object per interval, as it always does with
 * --json; metrics_ingest() adds each interval's values to cumulative series (no clearing between
 * scrapes), so the applets' aggregation and printing paths are the only ones:
 *   hists[]   -> histogram bcct_APPLET_UNIT: cumulative `le` buckets at BCC's log2 slot bounds,
 *                _sum (from the slots' midpoints), _count; labels: the hist's other scalars;
 *   rows[]    -> counters bcct_APPLET_KEY_total for each integer member that is not a key;
 *                labels: string members and key integers (pid, tid, cpu, ports, ...);
 *   one object per interval ("interval":true, vfsstat) -> gauges bcct_APPLET_MEMBER;
 *   events    -> counter bcct_APPLET_events_total{comm} (per-event tools).
 * Bounded: at most max_series series per metric in a scrape (the largest; the rest summed into
 * one series whose labels are all "other"), and at most METRICS_MAX_STORED series kept per
 * metric (later keys are added to "other" at once). bcct's own health comes from the applets'
 * -v and warning lines (metrics_ingest_log): events lost, links attached, attach methods. */
#ifndef BCCT_METRICS_H
#define BCCT_METRICS_H
#include <stdbool.h>
#include <stddef.h>

#define METRICS_MAX_STORED 100000
#define METRICS_MAX_LINE (4u << 20)     /* longest JSON line read from an applet */

struct metrics;
struct metrics *metrics_new(size_t max_series);
void metrics_free(struct metrics *m);
/* Declares a served applet (its health series exist from the start). */
void metrics_add_applet(struct metrics *m, const char *applet);
/* One line of an applet's --json stdout. Malformed lines are counted, never fatal. */
void metrics_ingest(struct metrics *m, const char *applet, const char *line);
/* One line of an applet's stderr (run with -v): "probe P: METHOD", "attached N links",
 * "lost N events". Returns true when the line was one of those -v lines (not to be shown). */
bool metrics_ingest_log(struct metrics *m, const char *applet, const char *line);
void metrics_applet_exited(struct metrics *m, const char *applet);
/* The exposition, Prometheus text 0.0.4 or OpenMetrics 1.0 (# EOF, counters by family name);
 * malloc'd, *len set. NULL when memory runs out. */
char *metrics_render(struct metrics *m, bool openmetrics, size_t *len);
#endif
