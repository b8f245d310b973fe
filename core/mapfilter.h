/* --cgroupmap PATH, --mntnsmap PATH (BCC's pinned-map filters, core/mapfilter.c). Core-internal:
 * applets only list STD_CGROUPMAP / STD_MNTNSMAP; run.c opens, applies and closes. */
#ifndef BCCT_MAPFILTER_H
#define BCCT_MAPFILTER_H
struct bpf_object;
struct bcct_filter;
/* Opens and checks the pinned maps the options name (once per run). Returns 0, or an exit
 * status after one line. */
int mapfilter_open(void);
/* Puts the opened maps in place of the object's cgroupmap_filter / mntnsmap_filter and sets the
 * filter's flags; the unused ones are not created. 0, or -1 after a message. */
int mapfilter_apply(struct bpf_object *obj, struct bcct_filter *f);
void mapfilter_close(void);
#endif
