/* Printing counts and cross-tabs as an aligned table with bars, CSV or JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "count/format.h"

/* Terminal columns taken by a UTF-8 string. */
int fmt_text_width(const char *s)
{
	mbstate_t st;
	wchar_t wc;
	int w = 0;
	size_t n = strlen(s), k;
	memset(&st, 0, sizeof st);
	while (n && (k = mbrtowc(&wc, s, n, &st)) != 0) {
		if (k == (size_t)-1 || k == (size_t)-2) { k = 1; memset(&st, 0, sizeof st); w++; }
		else { int cw = wcwidth(wc); w += cw > 0 ? cw : 0; }
		s += k;
		n -= k;
	}
	return w;
}

void fmt_pad(FILE *f, int n)
{
	while (n-- > 0) fputc(' ', f);
}

/* A bar of proportional length in eighths of a character cell. */
static void print_bar(FILE *f, int64_t v, int64_t max, int width)
{
	static const char *eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	if (max <= 0 || v <= 0) return;
	long e = (long)((double)v / (double)max * width * 8 + 0.5);
	if (e == 0) e = 1;
	for (long i = 0; i < e / 8; i++) fputs("█", f);
	fputs(eighths[e % 8], f);
}

void fmt_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"') fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
		else if (c == '\n') fputs("\\n", f);
		else if (c == '\r') fputs("\\r", f);
		else if (c == '\t') fputs("\\t", f);
		else if (c < 0x20) fprintf(f, "\\u%04x", c);
		else fputc(c, f);
	}
	fputc('"', f);
}

/* Prints the footer's sentences, wrapped at about 78 columns. */
static void print_note(FILE *f, const char *note)
{
	int col = 0;
	while (*note) {
		const char *sp = strchr(note, ' ');
		int w = sp ? (int)(sp - note) : (int)strlen(note);
		if (col && col + 1 + w > 78) { fputc('\n', f); col = 0; }
		else if (col) { fputc(' ', f); col++; }
		fwrite(note, 1, (size_t)w, f);
		col += w;
		note += w;
		while (*note == ' ') note++;
	}
	if (col) fputc('\n', f);
}

/* The unit line under a table: "36 items, 39 mentions". */
static void print_total(FILE *f, const tl_counts *c)
{
	int64_t all = tl_counts_items(c);
	fprintf(f, "%lld item%s", (long long)all, all == 1 ? "" : "s");
	if (c->list) fprintf(f, ", %lld mention%s", (long long)c->mentions, c->mentions == 1 ? "" : "s");
	fputs("; shares are of the items\n", f);
}

int fmt_counts(FILE *f, const tl_counts *in, int fmt, size_t top)
{
	char note[1024];
	tl_counts *cut = top ? tl_counts_top(in, top, NULL) : NULL;
	const tl_counts *c = cut ? cut : in;
	size_t n = c->n;
	if (top && !cut) return -1;   /* all the rows would be printed as if they were the top */
	if (fmt == FMT_CSV || fmt == FMT_JSON) {
		if (fmt == FMT_CSV) {
			fmt_csv_field(f, c->field);
			fputs(",count\n", f);
		} else fputs("[", f);
		for (size_t i = 0; i < n; i++) {
			if (fmt == FMT_CSV) {
				fmt_csv_field(f, c->keys[i]);
				fprintf(f, ",%lld\n", (long long)c->counts[i]);
				continue;
			}
			fputs(i ? ",\n {" : "{", f);
			json_str(f, c->field);
			fputs(": ", f);
			json_str(f, c->keys[i]);
			fprintf(f, ", \"count\": %lld}", (long long)c->counts[i]);
		}
		if (fmt == FMT_JSON) fputs("]\n", f);
		tl_counts_free(cut);
		return 0;
	}
	/* shares of the items in the view; the rows add up to 100.0% only when they
	 * are the whole (no item without a value): otherwise each is rounded alone,
	 * as the items with no value are a part that is not shown (2 items of 36 are
	 * 5.6%, not 5.5% to make room for an unshown 88.9%) */
	int64_t *v = malloc((n + 1) * sizeof *v);
	double *pct = malloc((n + 1) * sizeof *pct);
	int kw = fmt_text_width(c->field), cw = 5;
	int64_t max = 0;
	if (!v || !pct) { free(v); free(pct); tl_counts_free(cut); return -1; }
	for (size_t i = 0; i < n; i++) {
		int w = fmt_text_width(c->keys[i]);
		if (w > kw) kw = w;
		if (c->counts[i] > max) max = c->counts[i];
		v[i] = c->counts[i];
	}
	tl_round_shares(v, n, tl_counts_items(c), 1, pct);
	if (kw > 48) kw = 48;
	char num[32];
	cw = snprintf(num, sizeof num, "%lld", (long long)max);
	if (cw < 5) cw = 5;
	fputs(c->field, f);
	fmt_pad(f, kw - fmt_text_width(c->field) + 2);
	fprintf(f, "%*s  %6s\n", cw, "items", "share");
	for (size_t i = 0; i < n; i++) {
		fputs(c->keys[i], f);
		fmt_pad(f, kw - fmt_text_width(c->keys[i]) + 2);
		fprintf(f, "%*lld  %5.1f%%  ", cw, (long long)c->counts[i], pct[i]);
		print_bar(f, c->counts[i], max, 40);
		fputc('\n', f);
	}
	print_total(f, c);
	print_note(f, tl_counts_note(c, note, sizeof note));
	free(v);
	free(pct);
	tl_counts_free(cut);
	return 0;
}

void fmt_xtab(FILE *f, const tl_xtab *x, int fmt)
{
	const tl_counts *r = x->rows, *c = x->cols;
	if (fmt == FMT_CSV) {
		fmt_csv_field(f, r->field);
		for (size_t j = 0; j < c->n; j++) { fputc(',', f); fmt_csv_field(f, c->keys[j]); }
		fputc('\n', f);
		for (size_t i = 0; i < r->n; i++) {
			fmt_csv_field(f, r->keys[i]);
			for (size_t j = 0; j < c->n; j++) fprintf(f, ",%lld", (long long)x->cells[i * c->n + j]);
			fputc('\n', f);
		}
		return;
	}
	if (fmt == FMT_JSON) {
		fputs("[", f);
		for (size_t i = 0; i < r->n; i++) {
			fputs(i ? ",\n {" : "{", f);
			json_str(f, r->field);
			fputs(": ", f);
			json_str(f, r->keys[i]);
			for (size_t j = 0; j < c->n; j++) {
				fputs(", ", f);
				json_str(f, c->keys[j]);
				fprintf(f, ": %lld", (long long)x->cells[i * c->n + j]);
			}
			fputs("}", f);
		}
		fputs("]\n", f);
		return;
	}
	int kw = fmt_text_width(r->field);
	for (size_t i = 0; i < r->n; i++) if (fmt_text_width(r->keys[i]) > kw) kw = fmt_text_width(r->keys[i]);
	fputs(r->field, f);
	fmt_pad(f, kw - fmt_text_width(r->field));
	for (size_t j = 0; j < c->n; j++) {
		int w = fmt_text_width(c->keys[j]);
		fmt_pad(f, 2 + (w < 4 ? 4 - w : 0));
		fputs(c->keys[j], f);
	}
	fputc('\n', f);
	for (size_t i = 0; i < r->n; i++) {
		fputs(r->keys[i], f);
		fmt_pad(f, kw - fmt_text_width(r->keys[i]));
		for (size_t j = 0; j < c->n; j++) {
			int w = fmt_text_width(c->keys[j]);
			fprintf(f, "  %*lld", w < 4 ? 4 : w, (long long)x->cells[i * c->n + j]);
		}
		fputc('\n', f);
	}
	char note[1024];
	print_note(f, tl_xtab_note(x, note, sizeof note));
}
