/* --svg FILE: the recorded stacks as a flame graph, laid out as Brendan Gregg's flamegraph.pl
 * lays out folded stacks (root "all" at the bottom, then the process name, then frames from the
 * outermost up; siblings in alphabetical order; each frame as wide as its share of the total),
 * without Perl: the same merge of sorted stacks, done here. Colours say the kind of code: kernel
 * (orange), user (red-yellow), JIT-compiled or anonymous code (green), process names (aqua).
 * Every frame's title reads "name (N samples, P%)". A small script of our own gives
 * flamegraph.pl's click-to-zoom, Ctrl-F/button search with the matched percentage, and the
 * details line. Frames narrower than 0.1 pixel are left out, which bounds the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/index.h"
#include "core/stackprof.h"

#define IMAGE_WIDTH 1200
#define FRAME_HEIGHT 16
#define FONT_SIZE 12
#define FONT_WIDTH 0.59
#define XPAD 10
#define YPAD1 (FONT_SIZE * 3)           /* title */
#define YPAD2 (FONT_SIZE * 2 + 10)      /* details line */
#define MIN_WIDTH 0.1                   /* pixels */

/* Element d of a sample's path: 0 its process name, then frames from the outermost in. */
struct path_elem {
	uint32_t name;
	int kind;
};

static struct path_elem path_at(const struct stackprof *p, const struct stackprof_sample_rec *s, int d)
{
	const struct stackprof_frame_rec *f;

	if (d == 0)
		return (struct path_elem){ s->comm, STACKPROF_PROCESS };
	f = stackprof_frame_at(p, s->frames[s->n - d]);
	return (struct path_elem){ f->name, f->kind };
}

static int elem_cmp(const struct stackprof *p, struct path_elem a, struct path_elem b)
{
	int c = a.name == b.name ? 0 : strcmp(stackprof_string(p, a.name), stackprof_string(p, b.name));

	return c ? c : a.kind - b.kind;
}

static int by_path(const void *pa, const void *pb, void *arg)
{
	const struct stackprof *p = arg;
	const struct stackprof_sample_rec *a = *(const struct stackprof_sample_rec *const *)pa;
	const struct stackprof_sample_rec *b = *(const struct stackprof_sample_rec *const *)pb;

	for (int d = 0; d <= a->n && d <= b->n; d++) {
		int c = elem_cmp(p, path_at(p, a, d), path_at(p, b, d));

		if (c)
			return c;
	}
	return a->n - b->n;
}

/* A frame of the graph: depth 0 is "all". */
struct box {
	struct path_elem e;
	int depth;
	uint64_t start, value;
};

struct graph {
	struct box *boxes;
	size_t n, cap;
	int max_depth;
	uint64_t total;
	bool failed;
};

static void emit(struct graph *g, const struct box *b, double px_per_unit)
{
	if ((double)b->value * px_per_unit < MIN_WIDTH)
		return;
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 1024;
		struct box *bigger = realloc(g->boxes, cap * sizeof(*bigger));

		if (!bigger) {
			g->failed = true;
			return;
		}
		g->boxes = bigger;
		g->cap = cap;
	}
	g->boxes[g->n++] = *b;
	if (b->depth > g->max_depth)
		g->max_depth = b->depth;
}

/* flamegraph.pl's flow(): walk the stacks in sorted order keeping the open frames of the
 * previous one; a frame closes (and is emitted) where the next stack differs. */
static int build(struct stackprof *p, struct graph *g)
{
	size_t ns = stackprof_nsamples(p);
	const struct stackprof_sample_rec **order = calloc(ns ? ns : 1, sizeof(*order));
	struct box *open = NULL;
	int nopen = 0, max_path = 0;
	double px;

	if (!order)
		return -1;
	for (size_t i = 0; i < ns; i++) {
		order[i] = stackprof_sample_at(p, i);
		g->total += order[i]->value;
		if (order[i]->n + 1 > max_path)
			max_path = order[i]->n + 1;
	}
	px = g->total ? (IMAGE_WIDTH - 2.0 * XPAD) / (double)g->total : 0;
	qsort_r(order, ns, sizeof(*order), by_path, p);
	/* open[0] is "all"; open[d + 1] is path element d */
	if (!(open = calloc(max_path + 1, sizeof(*open)))) {
		free(order);
		return -1;
	}
	open[0] = (struct box){ .e = { stackprof_intern(p, "all"), STACKPROF_PROCESS }, .value = g->total };
	nopen = 1;
	for (size_t i = 0; i < ns; i++) {
		const struct stackprof_sample_rec *s = order[i];
		uint64_t x = 0;
		int same = 1;

		if (i) {
			const struct box *last = &open[nopen - 1];

			x = last->start + last->value;
		}
		while (same < nopen && same - 1 <= s->n &&
		       !elem_cmp(p, open[same].e, path_at(p, s, same - 1)))
			same++;
		while (nopen > same)
			emit(g, &open[--nopen], px);
		for (int d = same - 1; d <= s->n; d++, nopen++)
			open[nopen] = (struct box){ .e = path_at(p, s, d), .depth = nopen, .start = x };
		for (int d = 1; d < nopen; d++)
			open[d].value += s->value;
	}
	while (nopen > 0)
		emit(g, &open[--nopen], px);
	free(open);
	free(order);
	return g->failed ? -1 : 0;
}

/* Text content: XML's specials escaped; control characters and bytes outside ASCII (names
 * come from traced programs' files) become '?', so the file is always well-formed. */
static void xml_text(FILE *f, const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else
			fputc(c < 0x20 || c > 0x7e ? '?' : c, f);
	}
}

/* "1,234,567", as flamegraph.pl groups digits. */
static const char *grouped(uint64_t v, char buf[32])
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = 0;
	return buf;
}

static void color(const char *name, int kind, int rgb[3])
{
	uint64_t h = bcct_fnv(BCCT_FNV_START, name, strlen(name));   /* a name keeps its colour */
	double v1, v2, v3;

	v1 = (double)(h & 0xffff) / 0xffff;
	v2 = (double)(h >> 16 & 0xffff) / 0xffff;
	v3 = (double)(h >> 32 & 0xffff) / 0xffff;
	switch (kind) {
	case STACKPROF_KERNEL:          /* orange */
		rgb[0] = 190 + (int)(65 * v1), rgb[1] = 90 + (int)(65 * v1), rgb[2] = 0;
		break;
	case STACKPROF_JIT:             /* green */
		rgb[0] = 50 + (int)(60 * v1), rgb[1] = 200 + (int)(55 * v1), rgb[2] = 50 + (int)(60 * v1);
		break;
	case STACKPROF_PROCESS:         /* aqua */
		rgb[0] = 50 + (int)(60 * v1), rgb[1] = 165 + (int)(55 * v1), rgb[2] = 165 + (int)(55 * v1);
		break;
	default:                        /* hot: red to yellow */
		rgb[0] = 205 + (int)(50 * v3), rgb[1] = (int)(230 * v1), rgb[2] = (int)(55 * v2);
	}
}

/* Zoom, search and details, written for this layout: every frame is a <g class="f"> holding a
 * <title> "name (N unit, P%)", a <rect> and a <text>; the original geometry is kept in data-x
 * and data-w. */
static const char script[] =
"var svg=document.documentElement,details,searchbtn,matchedtxt,unzoombtn,W=" "%d" ",PAD=" "%d" ";\n"
"function init(){details=document.getElementById('details').firstChild;"
"searchbtn=document.getElementById('search');matchedtxt=document.getElementById('matched');"
"unzoombtn=document.getElementById('unzoom');"
"svg.addEventListener('click',function(e){var g=e.target.closest&&e.target.closest('g.f');if(g)zoom(g);});"
"svg.addEventListener('mouseover',function(e){var g=e.target.closest&&e.target.closest('g.f');"
"details.nodeValue=g?g.querySelector('title').textContent:' ';});"
"window.addEventListener('keydown',function(e){if(e.keyCode===114||(e.ctrlKey&&e.keyCode===70)){e.preventDefault();search_prompt();}});"
"fit_all();}\n"
"function frames(){return document.querySelectorAll('g.f');}\n"
"function fname(g){var t=g.querySelector('title').textContent;return t.substring(0,t.lastIndexOf(' ('));}\n"
"function fit(g){var r=g.querySelector('rect'),t=g.querySelector('text'),w=+r.getAttribute('width'),"
"n=fname(g),c=Math.floor(w/(" "%g" "));t.setAttribute('x',+r.getAttribute('x')+3);"
"t.textContent=c<3?'':(n.length<=c?n:n.substring(0,c-2)+'..');}\n"
"function fit_all(){frames().forEach(fit);}\n"
"function zoom(z){var zr=z.querySelector('rect'),zx=+zr.dataset.x,zw=+zr.dataset.w,zy=+zr.getAttribute('y'),"
"k=(W-2*PAD)/zw;frames().forEach(function(g){var r=g.querySelector('rect'),x=+r.dataset.x,w=+r.dataset.w,"
"y=+r.getAttribute('y');g.style.display='';g.style.opacity='';"
"if(x+w<=zx+1e-6||x>=zx+zw-1e-6){g.style.display='none';return;}"
"if(y>zy){r.setAttribute('x',PAD);r.setAttribute('width',W-2*PAD);g.style.opacity='0.5';}"
"else{r.setAttribute('x',PAD+(x-zx)*k);r.setAttribute('width',w*k);}fit(g);});"
"unzoombtn.style.opacity='1';}\n"
"function unzoom(){frames().forEach(function(g){var r=g.querySelector('rect');g.style.display='';"
"g.style.opacity='';r.setAttribute('x',r.dataset.x);r.setAttribute('width',r.dataset.w);fit(g);});"
"unzoombtn.style.opacity='0';}\n"
"function search_prompt(){var t=prompt('Enter a search term (regexp allowed, eg: ^ext4_)','');"
"if(t!==null&&t!=='')search(t);else reset_search();}\n"
"function reset_search(){frames().forEach(function(g){var r=g.querySelector('rect');"
"if(r.dataset.fill)r.setAttribute('fill',r.dataset.fill);});matchedtxt.textContent='';"
"searchbtn.style.opacity='0.1';}\n"
"function search(term){var re=new RegExp(term),spans=[],total=W-2*PAD;reset_search();"
"frames().forEach(function(g){if(!re.test(fname(g)))return;var r=g.querySelector('rect');"
"r.dataset.fill=r.getAttribute('fill');r.setAttribute('fill','rgb(230,0,230)');"
"spans.push([+r.dataset.x,+r.dataset.w]);});"
"spans.sort(function(a,b){return a[0]-b[0]||b[1]-a[1];});var sum=0,end=-1;"
"spans.forEach(function(s){if(s[0]>=end){sum+=s[1];end=s[0]+s[1];}});"
"searchbtn.style.opacity='1';matchedtxt.textContent=spans.length?'Matched: '+(100*sum/total).toFixed(1)+'%%':'';}\n";

static void write_box(FILE *f, struct stackprof *p, const struct box *b, int height, uint64_t total,
		      const char *count_name)
{
	const double px = (IMAGE_WIDTH - 2.0 * XPAD) / (double)total;
	const char *name = stackprof_string(p, b->e.name);
	double x = XPAD + b->start * px, w = b->value * px;
	int y = height - YPAD2 - (b->depth + 1) * FRAME_HEIGHT + 1, rgb[3];
	char n[32];

	color(name, b->e.kind, rgb);
	fputs("<g class=\"f\"><title>", f);
	xml_text(f, name, SIZE_MAX);
	fprintf(f, " (%s %s, %.2f%%)</title>", grouped(b->value, n), count_name, 100.0 * b->value / total);
	fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" data-x=\"%.1f\" data-w=\"%.1f\" "
		"fill=\"rgb(%d,%d,%d)\" rx=\"2\" ry=\"2\"/>", x, y, w, FRAME_HEIGHT - 1, x, w,
		rgb[0], rgb[1], rgb[2]);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x + 3, y + 10.5);
	/* the script fits the text again on load and zoom; this serves viewers without scripts */
	{
		int chars = (int)(w / (FONT_SIZE * FONT_WIDTH));

		if (chars >= 3 && strlen(name) <= (size_t)chars)
			xml_text(f, name, SIZE_MAX);
		else if (chars >= 3) {
			xml_text(f, name, chars - 2);
			fputs("..", f);
		}
	}
	fputs("</text></g>\n", f);
}

int flamegraph_write(struct stackprof *p, const char *path)
{
	const struct stackprof_desc *d = stackprof_desc(p);
	struct graph g = { 0 };
	int height, err;
	FILE *f;

	if (build(p, &g)) {
		free(g.boxes);
		errno = ENOMEM;
		return -1;
	}
	if (!(f = fopen(path, "we"))) {
		free(g.boxes);
		return -1;
	}
	height = (g.max_depth + 1) * FRAME_HEIGHT + YPAD1 + YPAD2;
	fprintf(f, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" onload=\"init(evt)\" viewBox=\"0 0 %d %d\" "
		"xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n"
		"<!-- Flame graph written by bcct: layout as flamegraph.pl (Brendan Gregg) -->\n",
		IMAGE_WIDTH, height, IMAGE_WIDTH, height);
	fprintf(f, "<style type=\"text/css\">text{font-family:Verdana;font-size:%dpx;fill:rgb(0,0,0)}"
		"g.f:hover rect{stroke:black;stroke-width:0.5;cursor:pointer}"
		"#title{text-anchor:middle;font-size:17px}#search,#unzoom{cursor:pointer}</style>\n", FONT_SIZE);
	fputs("<script type=\"text/ecmascript\"><![CDATA[\n", f);
	fprintf(f, script, IMAGE_WIDTH, XPAD, FONT_SIZE * FONT_WIDTH);
	fputs("]]></script>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"rgb(245,245,235)\"/>\n",
		IMAGE_WIDTH, height);
	fprintf(f, "<text id=\"title\" x=\"%d\" y=\"24\">", IMAGE_WIDTH / 2);
	xml_text(f, d->title, SIZE_MAX);
	fputs("</text>\n", f);
	fprintf(f, "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n", XPAD, height - YPAD2 / 2);
	fprintf(f, "<text id=\"unzoom\" x=\"%d\" y=\"24\" style=\"opacity:0\" onclick=\"unzoom()\">Reset Zoom</text>\n", XPAD);
	fprintf(f, "<text id=\"search\" x=\"%d\" y=\"24\" style=\"opacity:0.1\" onclick=\"search_prompt()\">Search</text>\n",
		IMAGE_WIDTH - XPAD - 100);
	fprintf(f, "<text id=\"matched\" x=\"%d\" y=\"%d\"> </text>\n", IMAGE_WIDTH - XPAD - 100, height - YPAD2 / 2);
	for (size_t i = 0; g.total && i < g.n; i++)
		write_box(f, p, &g.boxes[i], height, g.total, d->count_name);
	fputs("</svg>\n", f);
	free(g.boxes);
	err = ferror(f) ? -1 : 0;
	if (fclose(f))
		err = -1;
	if (err && !errno)
		errno = EIO;
	return err;
}
