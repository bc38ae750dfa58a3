/* The CSV loader under every option. The first four bytes choose the options,
 * the rest is the file. Each input is loaded three ways that must agree exactly
 * (rows, values, rejected rows and their report, or the same error at the same
 * line and column): one part with the structural scanner, and either two parts
 * split near the middle (as two threads load a large file) or one part read by
 * libcsv alone.
 * A loaded store is then counted by every field.
 *   byte 0: bit 0 --skip-bad; bits 1-3 --country-codes; bits 4-5 the --map set
 *   byte 1: --date-format (none, or one of a table); byte 2: the --na tokens
 *   byte 3: bits 0-1 the fields kept (streaming counts); bits 2-6 where the body
 *   is split; bit 7 libcsv alone instead of two parts */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "tally/count.h"
#include "tally/load.h"

static const char *const formats[] = {NULL, "%d/%m/%Y", "%Y-%j", "%s", "%Y%m%d", "%b %Y", "%m/%d/%y", "%Y",
                                      "%d.%m.%Y %H:%M", "%Y-%m"};
static const char *const nas[][3] = {{NULL}, {"NA", NULL}, {"-", "n/a", NULL}, {"none", "0", NULL}};
static const char *const maps[][4][2] = {
	{{NULL}},
	{{"date", "when"}, {"country", "where"}, {"dimension", "what"}, {NULL}},
	{{"year", "y"}, {"month", "m"}, {"day", "d"}, {NULL}},
	{{"countries", "iso"}, {"year", "y"}, {NULL}},
};
static const char *const *const onlies[] = {
	NULL, (const char *const[]){"kind", NULL}, (const char *const[]){"countries", "month", NULL},
	(const char *const[]){"date", "year", NULL},
};

static const tl_vocab *vocab(void)
{
	static tl_vocab *v;
	static int tried;
	if (!tried) {
		const char *home = getenv("TALLY_HOME");
		char dir[4096];
		tl_error err;
		tried = 1;
		snprintf(dir, sizeof dir, "%s/data", home && *home ? home : ".");
		if (!(v = vocab_open(dir, &err))) fprintf(stderr, "fuzz: no vocabulary: %s\n", err.msg);
	}
	return v;
}

typedef struct result {
	tl_store *s;
	tl_error  err;
	char     *report;
	size_t    nreport;
} result;

static void load(result *r, const char *path, const tl_load_opts *base, int threads, size_t split, int scanner)
{
	tl_load_opts o = *base;
	FILE *rep = open_memstream(&r->report, &r->nreport);
	o.threads = threads;
	o.split_min = split;
	o.no_scanner = !scanner;
	o.report = rep;
	tl_error_clear(&r->err);
	r->s = tl_load_csv(path, &o, &r->err);
	fclose(rep);
}

static int same_str(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && (na == 0 || memcmp(a, b, na) == 0);
}

/* Two stores hold the same rows: same columns, and in each the same strings,
 * dates and numbers (codes may differ: each part has its own dictionaries). */
static int same_store(const tl_store *a, const tl_store *b)
{
	if (a->nrows != b->nrows || a->ncols != b->ncols || a->rejected != b->rejected) return 0;
	for (size_t i = 0; i < a->ncols; i++) {
		const tl_column *x = &a->cols[i], *y = &b->cols[i];
		if (strcmp(x->name, y->name) || x->type != y->type) return 0;
		for (size_t r = 0; r < a->nrows; r++) {
			switch (x->type) {
			case TL_CAT: {
				uint32_t p = store_cat(x, r), q = store_cat(y, r);
				if ((p == TL_NA) != (q == TL_NA)) return 0;
				if (p != TL_NA && !same_str(x->dict->str[p], x->dict->len[p], y->dict->str[q], y->dict->len[q])) return 0;
				break;
			}
			case TL_LIST:
				if (x->offs[r + 1] - x->offs[r] != y->offs[r + 1] - y->offs[r]) return 0;
				for (uint32_t k = 0; k < x->offs[r + 1] - x->offs[r]; k++) {
					uint32_t p = store_val(x, x->offs[r] + k), q = store_val(y, y->offs[r] + k);
					if (!same_str(x->dict->str[p], x->dict->len[p], y->dict->str[q], y->dict->len[q])) return 0;
				}
				break;
			case TL_TEXT: {
				size_t np, nq;
				const char *p = store_text(x, r, &np), *q = store_text(y, r, &nq);
				if (!same_str(p, np, q, nq)) return 0;
				break;
			}
			case TL_DATE: if (x->dates[r] != y->dates[r]) return 0; break;
			case TL_INT:
				if (store_int_isnull(x, r) != store_int_isnull(y, r) ||
				    (!store_int_isnull(x, r) && x->ints[r] != y->ints[r])) return 0;
				break;
			}
		}
	}
	return 1;
}

static void same(const result *a, const result *b, const char *what)
{
	if (!a->s || !b->s) {
		if (!a->s != !b->s) fprintf(stderr, "fuzz: %s: %s / %s\n", what, a->s ? "loaded" : a->err.msg, b->s ? "loaded" : b->err.msg);
		fuzz_assert(!a->s && !b->s, "one load failed and the other did not");
		if (a->err.line != b->err.line || a->err.col != b->err.col || strcmp(a->err.msg, b->err.msg))
			fprintf(stderr, "fuzz: %s: %ld:%ld: %s / %ld:%ld: %s\n", what, a->err.line, a->err.col, a->err.msg,
			        b->err.line, b->err.col, b->err.msg);
		fuzz_assert(a->err.line == b->err.line && a->err.col == b->err.col && !strcmp(a->err.msg, b->err.msg),
		            "two loads failed differently");
		return;
	}
	fuzz_assert(same_store(a->s, b->s), "two loads gave different stores");
	if (!same_str(a->report, a->nreport, b->report, b->nreport))
		fprintf(stderr, "fuzz: %s: rejected rows:\n%.*s-- against --\n%.*s", what, (int)a->nreport,
		        a->report ? a->report : "", (int)b->nreport, b->report ? b->report : "");
	fuzz_assert(same_str(a->report, a->nreport, b->report, b->nreport), "two loads reported rejected rows differently");
}

/* Counts by every field, and by month, quarter and year. */
static void count_all(const tl_store *s)
{
	static const char *const parts[] = {"month", "quarter", "year"};
	tl_error err;
	for (size_t i = 0; i < s->ncols + 3; i++) {
		const char *f = i < s->ncols ? s->cols[i].name : parts[i - s->ncols];
		tl_counts *c = agg_count(s, NULL, f, TL_DATE_NONE, TL_DATE_NONE, &err);
		if (c) {
			int64_t sum = 0;
			for (size_t k = 0; k < c->n; k++) sum += c->counts[k];
			fuzz_assert(c->records + c->missing <= (int64_t)s->nrows, "more records counted than loaded");
			fuzz_assert(sum >= c->records || c->by_date, "counts add up to less than the records counted");
		}
		tl_counts_free(c);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char path[64];
	tl_load_opts o;
	result r[2];
	if (size < 4) return 0;
	if (fd < 0 && (fd = memfd_create("fuzz.csv", 0)) < 0) return 0;
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data + 4, size - 4, 0) != (ssize_t)(size - 4)) return 0;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);

	tl_load_opts_init(&o);
	o.no_cache = 1;
	o.skip_bad = data[0] & 1;
	o.country_codes = (tl_ccmode)((data[0] >> 1 & 7) % 5);
	for (int k = 0; maps[data[0] >> 4 & 3][k][0]; k++) tl_load_map(&o, maps[data[0] >> 4 & 3][k][0], maps[data[0] >> 4 & 3][k][1]);
	o.date_format = formats[data[1] % (sizeof formats / sizeof *formats)];
	for (const char *const *na = nas[data[2] % 4]; *na; na++) o.na[o.nna++] = *na;
	o.only = (const char **)onlies[data[3] & 3];
	o.vocab = vocab();

	/* two loads an input, to keep the fuzzer fast: bit 7 of byte 3 chooses the
	 * second, two parts or libcsv alone */
	load(&r[0], path, &o, 1, 0, 1);
	if (data[3] & 0x80) {
		load(&r[1], path, &o, 1, 0, 0);
		same(&r[0], &r[1], "scanner and libcsv");
	} else {
		load(&r[1], path, &o, 2, 1 + (data[3] >> 2 & 31), 1);
		same(&r[0], &r[1], "one part and two parts");
	}
	if (r[0].s) count_all(r[0].s);
	for (int k = 0; k < 2; k++) {
		store_free(r[k].s);
		free(r[k].report);
	}
	return 0;
}
