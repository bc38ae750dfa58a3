/* The structural scanner, each implementation, against libcsv. Byte 0 chooses
 * the implementation (bits 0-1: AVX2, SSE2, portable; a CPU without AVX2 uses
 * SSE2) and bit 7 --skip-bad; the rest is the file.
 *
 * 1. Every record the scanner calls simple is parsed again by libcsv alone. It
 *    must be one record of as many fields as the scanner found, each the
 *    scanner's cell as the loader reads it: quotes removed and "" undone, or
 *    blanks and tabs trimmed from an unquoted cell.
 * 2. The file loads to the same rows, rejected-row report or error with this
 *    scanner as with libcsv alone (TALLY_SCANNER=off). */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <csv.h>
#include "fuzz.h"
#include "tally/load.h"
#include "load/scan.h"

typedef struct fields {
	char   cell[SCAN_MAXSEP + 1][256];
	size_t len[SCAN_MAXSEP + 1];
	size_t n, rows, longest;
} fields;

static void on_cell(void *s, size_t n, void *ctx)
{
	fields *f = ctx;
	if (f->n <= SCAN_MAXSEP) {
		f->len[f->n] = n;
		if (n > f->longest) f->longest = n;
		memcpy(f->cell[f->n], s ? s : "", n < 256 ? n : 256);
	}
	f->n++;
}

static void on_end(int c, void *ctx)
{
	(void)c;
	((fields *)ctx)->rows++;
}

/* The scanner's cell f of r, as feed.c hands it over, into out (256 bytes kept). */
static size_t scanner_cell(const tl_scanrec *r, size_t f, char *out)
{
	size_t b = f ? r->sep[f - 1] + 1 : 0, e = f < r->nsep ? r->sep[f] : r->len, k = 0;
	const char *s = r->start + b;
	size_t n = e - b;
	if (n >= 2 && s[0] == '"') {
		for (size_t i = 1; i + 1 < n; i++) {
			if (k < 256) out[k] = s[i];
			k++;
			if (s[i] == '"') i++;
		}
		return k;
	}
	while (n && (*s == ' ' || *s == '\t')) s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
	memcpy(out, s, n < 256 ? n : 256);
	return n;
}

static int check_record(void *ctx, const tl_scanrec *r)
{
	static fields f;
	struct csv_parser p;
	char cell[256];
	(void)ctx;
	if (r->nsep == 0) return SCAN_NEXT;   /* a lone field may be a blank line: the loader gives it to libcsv */
	f.n = f.rows = f.longest = 0;
	fuzz_assert(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) == 0, "csv_init");
	fuzz_assert(csv_parse(&p, r->start, r->size, on_cell, on_end, &f) == r->size, "libcsv refuses a record the scanner calls simple");
	fuzz_assert(csv_fini(&p, on_cell, on_end, &f) == 0, "a simple record ends inside quotes for libcsv");
	csv_free(&p);
	fuzz_assert(f.rows == 1, "a simple record is not one record for libcsv");
	fuzz_assert(f.n == r->nsep + 1, "the scanner and libcsv count different fields");
	for (size_t i = 0; i < f.n; i++) {
		size_t n = scanner_cell(r, i, cell);
		fuzz_assert(n == f.len[i] && memcmp(cell, f.cell[i], n < 256 ? n : 256) == 0, "a cell differs from libcsv's");
	}
	return SCAN_NEXT;
}

/* Loads path and writes what came of it to a string: the error, or the rows. */
static char *describe(const char *path, int skip_bad, int scanner)
{
	char *text = NULL, *rep = NULL;
	size_t tn = 0, rn = 0;
	FILE *out = open_memstream(&text, &tn), *report = open_memstream(&rep, &rn);
	tl_load_opts o;
	tl_error err;
	tl_load_opts_init(&o);
	o.no_cache = 1;
	o.skip_bad = skip_bad;
	o.no_scanner = !scanner;
	o.threads = 1;
	o.country_codes = TL_CC_RAW;   /* no vocabulary: the structure is what is tested here */
	o.report = report;
	tl_error_clear(&err);
	tl_store *s = tl_load_csv(path, &o, &err);
	fclose(report);
	if (!s) {
		fprintf(out, "error %ld:%ld: %s\n", err.line, err.col, err.msg);
	} else {
		fprintf(out, "%zu rows, %zu rejected\n%s", s->nrows, s->rejected, rep);
		for (size_t c = 0; c < s->ncols; c++) {
			const tl_column *col = &s->cols[c];
			for (size_t i = 0; i < s->nrows; i++) {
				size_t n;
				const char *t;
				uint32_t k;
				switch (col->type) {
				case TL_TEXT: t = store_text(col, i, &n); fprintf(out, "[%zu:", n); fwrite(t, 1, n, out); fputc(']', out); break;
				case TL_CAT: k = store_cat(col, i); if (k == TL_NA) fputs("NA|", out); else fprintf(out, "%s|", col->dict->str[k]); break;
				case TL_LIST:
					for (uint32_t v = col->offs[i]; v < col->offs[i + 1]; v++) fprintf(out, "%s;", col->dict->str[store_val(col, v)]);
					fputc('|', out);
					break;
				case TL_DATE: fprintf(out, "%d|", (int)col->dates[i]); break;
				case TL_INT: fprintf(out, store_int_isnull(col, i) ? "-|" : "%lld|", (long long)col->ints[i]); break;
				}
			}
			fputc('\n', out);
		}
		store_free(s);
	}
	free(rep);
	fclose(out);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const impls[] = {"avx2", "sse2", "portable", "portable"};
	static int fd = -1;
	char path[64];
	if (size < 1) return 0;
	if (scan_use(impls[data[0] & 3]) != 0) scan_use("sse2");
	const char *buf = (const char *)data + 1;
	size_t n = size - 1, at = 0;

	while (at < n) {   /* part 1: every simple record, restarting past the odd ones */
		int why;
		at += scan_run(buf + at, n - at, check_record, NULL, &why);
		if (at >= n || why == SCAN_END) break;
		const char *nl = memchr(buf + at, '\n', n - at);
		at = nl ? (size_t)(nl - buf) + 1 : n;
	}

	if (fd < 0 && (fd = memfd_create("fuzz-scan.csv", 0)) < 0) return 0;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, n, 0) != (ssize_t)n) return 0;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	char *a = describe(path, data[0] >> 7, 1), *b = describe(path, data[0] >> 7, 0);
	if (strcmp(a, b) != 0) fprintf(stderr, "fuzz: scanner %s:\n%.300s\nlibcsv:\n%.300s\n", scan_impl(), a, b);
	fuzz_assert(strcmp(a, b) == 0, "the scanner's load differs from libcsv's");
	free(a);
	free(b);
	return 0;
}
