/* Printing counts and cross-tabs as an aligned table with bars, CSV or JSON. */
#include <stdio.h>
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

void fmt_counts(FILE *f, const tl_counts *c, int fmt, size_t top)
{
	size_t n = top && top < c->n ? top : c->n;
	if (fmt == FMT_CSV) {
		fmt_csv_field(f, c->field);
		fputs(",count\n", f);
		for (size_t i = 0; i < n; i++) {
			fmt_csv_field(f, c->keys[i]);
			fprintf(f, ",%lld\n", (long long)c->counts[i]);
		}
		return;
	}
	if (fmt == FMT_JSON) {
		fputs("[", f);
		for (size_t i = 0; i < n; i++) {
			fputs(i ? ",\n {" : "{", f);
			json_str(f, c->field);
			fputs(": ", f);
			json_str(f, c->keys[i]);
			fprintf(f, ", \"count\": %lld}", (long long)c->counts[i]);
		}
		fputs("]\n", f);
		return;
	}
	int kw = fmt_text_width(c->field), cw = 5;
	int64_t max = 0;
	for (size_t i = 0; i < n; i++) {
		int w = fmt_text_width(c->keys[i]);
		if (w > kw) kw = w;
		if (c->counts[i] > max) max = c->counts[i];
	}
	if (kw > 48) kw = 48;
	char num[32];
	cw = snprintf(num, sizeof num, "%lld", (long long)max);
	if (cw < 5) cw = 5;
	fputs(c->field, f);
	fmt_pad(f, kw - fmt_text_width(c->field) + 2);
	fprintf(f, "%*s\n", cw, "count");
	for (size_t i = 0; i < n; i++) {
		fputs(c->keys[i], f);
		fmt_pad(f, kw - fmt_text_width(c->keys[i]) + 2);
		fprintf(f, "%*lld  ", cw, (long long)c->counts[i]);
		print_bar(f, c->counts[i], max, 40);
		fputc('\n', f);
	}
	fprintf(f, "%lld record%s", (long long)c->records, c->records == 1 ? "" : "s");
	if (c->mentions != c->records) fprintf(f, ", %lld mentions", (long long)c->mentions);
	if (c->missing) fprintf(f, "; %lld with no %s", (long long)c->missing, c->field);
	fputc('\n', f);
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
}
