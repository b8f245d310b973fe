/* Diagnostics: an error is the spec text, a column and a message, printed as the spec, a caret
 * line under the offending part, and one "error:" line (then any detail, e.g. the verifier's
 * log tail). Only the first error is kept: later ones are usually consequences. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/probe/internal.h"

int probe_error_at(struct probe_diag *d, const char *source, int pos, int end, const char *fmt, ...)
{
	va_list ap;

	if (!d || d->message[0])
		return -1;
	free(d->source);
	d->source = source ? strdup(source) : NULL;
	d->column = source ? pos : -1;
	d->length = end > pos ? end - pos : 1;
	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	if (!d->message[0])
		strcpy(d->message, "error");
	return -1;
}

void probe_diag_clear(struct probe_diag *d)
{
	free(d->source);
	free(d->detail);
	memset(d, 0, sizeof(*d));
	d->column = -1;
}

int probe_diag_format(const struct probe_diag *d, char *buf, size_t len)
{
	struct sbuf b = {0};
	int n;

	if (d->source && d->column >= 0 && d->column <= (int)strlen(d->source)) {
		const char *src = d->source;
		int col = d->column, start = col, stop = col, under;

		/* Show only the line holding the column: specs are one line, but be safe. */
		while (start > 0 && src[start - 1] != '\n')
			start--;
		while (src[stop] && src[stop] != '\n')
			stop++;
		sbuf_printf(&b, "%.*s\n", stop - start, src + start);
		for (int i = start; i < col; i++)
			sbuf_putc(&b, src[i] == '\t' ? '\t' : ' ');   /* tabs keep the caret aligned */
		sbuf_putc(&b, '^');
		under = d->length;
		if (col + under > stop)
			under = stop - col;
		for (int i = 1; i < under; i++)
			sbuf_putc(&b, '~');
		sbuf_putc(&b, '\n');
	}
	sbuf_printf(&b, "error: %s\n", d->message[0] ? d->message : "unknown error");
	if (d->detail && d->detail[0]) {
		sbuf_printf(&b, "%s", d->detail);
		if (d->detail[strlen(d->detail) - 1] != '\n')
			sbuf_putc(&b, '\n');
	}
	n = (int)b.len;
	if (len)
		snprintf(buf, len, "%s", b.s ? b.s : "");
	free(b.s);
	return n;
}

void probe_diag_print(const struct probe_diag *d, FILE *out)
{
	int n = probe_diag_format(d, NULL, 0);
	char *buf = malloc(n + 1);

	if (!buf)
		return;
	probe_diag_format(d, buf, n + 1);
	fputs(buf, out);
	free(buf);
}

/* Levenshtein distance, two rows. Names are short (struct members), so the cost is tiny. */
int probe_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *prev, *cur, r;

	if (la > 256 || lb > 256)
		return 1 << 20;
	prev = malloc((lb + 1) * sizeof(int));
	cur = malloc((lb + 1) * sizeof(int));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return 1 << 20;
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(int));
	}
	r = prev[lb];
	free(prev);
	free(cur);
	return r;
}

bool probe_suggest(const char *word, const char *const *names, int n, char *buf, size_t len)
{
	enum { MAX = 3 };
	int best[MAX], bestd[MAX], nbest = 0;
	int limit = (int)strlen(word) / 3 + 1;   /* a third of the word wrong, at least one edit */
	size_t used = 0;

	if (limit < 2)
		limit = 2;
	for (int i = 0; i < n; i++) {
		int dist = probe_edit_distance(word, names[i]), k;
		bool dup = false;

		if (dist > limit)
			continue;
		for (k = 0; k < nbest; k++)
			dup |= !strcmp(names[best[k]], names[i]);
		if (dup)
			continue;
		/* insertion sort into the best MAX, stable for equal distances */
		for (k = nbest; k > 0 && bestd[k - 1] > dist; k--) {
			if (k < MAX) {
				best[k] = best[k - 1];
				bestd[k] = bestd[k - 1];
			}
		}
		if (k < MAX) {
			best[k] = i;
			bestd[k] = dist;
			if (nbest < MAX)
				nbest++;
		}
	}
	if (!nbest)
		return false;
	/* Only near-ties of the best: a far second guess is noise next to a one-letter typo. */
	while (nbest > 1 && bestd[nbest - 1] > bestd[0] + 1)
		nbest--;
	buf[0] = '\0';
	for (int k = 0; k < nbest && used < len; k++) {
		const char *sep = k == 0 ? "" : k == nbest - 1 ? " or " : ", ";

		used += snprintf(buf + used, len - used, "%s'%s'", sep, names[best[k]]);
	}
	return true;
}
