/* The structural scanner against libcsv: every load of a generated or mutated
 * file gives the same store, the same rejected rows and the same error with
 * each scanner implementation (AVX2, SSE2, portable) as with libcsv alone
 * (opts.no_scanner, what TALLY_SCANNER=off sets), strict and with skip_bad,
 * every column kept or only one, on one thread and on two.
 *
 * Files are built to put a quote, a doubled quote, a CRLF and each byte of a
 * multi-byte character on every position around 64-byte block edges; mutants
 * insert quotes, commas, CRs, LFs, blanks and bytes that are not UTF-8 at
 * random places. */
/* checks: 12 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tally/load.h"
#include "tally/vocab.h"
#include "load/scan.h"

static int failed;
static const tl_vocab *vocab;
static char path[64];

static void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (!cond) failed++;
}

/* ---- a growing buffer ---------------------------------------------------- */

typedef struct buf { char *p; size_t n, cap; } buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		while (b->n + n + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : 4096;
		if (!(b->p = realloc(b->p, b->cap))) { perror("realloc"); exit(1); }
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* ---- loading and describing the result ----------------------------------- */

/* Loads path and prints everything the load produced: the error, or every
 * value of every column, the rejected count and the --skip-bad report. */
static char *describe(const tl_load_opts *base, int no_scanner, const char *impl)
{
	tl_load_opts o = *base;
	tl_error err;
	char *text = NULL, *rep = NULL;
	size_t tn = 0, rn = 0;
	FILE *f = open_memstream(&text, &tn), *r = open_memstream(&rep, &rn);
	memset(&err, 0, sizeof err);
	o.no_scanner = no_scanner;
	o.report = r;
	if (impl && scan_use(impl) != 0) { fclose(f); fclose(r); free(rep); free(text); return NULL; }
	tl_store *s = tl_load_csv(path, &o, &err);
	fclose(r);
	if (!s) {
		fprintf(f, "error %ld:%ld: %s\n", err.line, err.col, err.msg);
	} else {
		fprintf(f, "%zu rows, %zu rejected\n%s", s->nrows, s->rejected, rep);
		for (size_t c = 0; c < s->ncols; c++) {
			tl_column *col = &s->cols[c];
			fprintf(f, "column %s %d\n", col->name, (int)col->type);
			for (size_t i = 0; i < s->nrows; i++) {
				size_t n;
				const char *t;
				uint32_t k;
				switch (col->type) {
				case TL_TEXT: t = store_text(col, i, &n); fprintf(f, "[%.*s]", (int)n, t); break;
				case TL_CAT:
					k = store_cat(col, i);
					fprintf(f, "[%s]", k == TL_NA ? "NA" : col->dict->str[k]);
					break;
				case TL_LIST:
					for (uint32_t v = col->offs[i]; v < col->offs[i + 1]; v++)
						fprintf(f, "%s;", col->dict->str[store_val(col, v)]);
					fputc('|', f);
					break;
				case TL_DATE: fprintf(f, "%lld ", (long long)col->dates[i]); break;
				case TL_INT:
					if (store_int_isnull(col, i)) fputs("null ", f);
					else fprintf(f, "%lld ", (long long)col->ints[i]);
					break;
				}
			}
			fputc('\n', f);
		}
		store_free(s);
	}
	free(rep);
	fclose(f);
	return text;
}

/* Writes b to the scratch file and compares every scanner with libcsv alone
 * under each option set (quick: the chosen scanner, strict, every column);
 * returns the number of mismatches (and shows the first). */
static int differ(const buf *b, int threads, int quick)
{
	static const char *impls[] = {"avx2", "sse2", "portable"};
	static const char *only_dim[] = {"dimension", NULL}, *only_title[] = {"title", "countries", NULL};
	const char **onlys[] = {NULL, only_dim, only_title};
	FILE *f = fopen(path, "wb");
	int bad = 0;
	if (!f || fwrite(b->p, 1, b->n, f) != b->n || fclose(f) != 0) { perror(path); exit(1); }
	for (int skip = 0; skip < (quick ? 1 : 2); skip++)
		for (int k = 0; k < (quick ? 1 : 3); k++) {
			tl_load_opts o;
			tl_load_opts_init(&o);
			o.vocab = vocab;
			o.skip_bad = skip;
			o.only = onlys[k];
			o.threads = threads;
			o.no_cache = 1;
			char *want = describe(&o, 1, NULL);
			for (int i = 0; i < (quick ? 1 : 3); i++) {
				char *got = describe(&o, 0, quick ? NULL : impls[i]);
				if (!got) continue;   /* the CPU lacks it */
				if (strcmp(got, want) != 0) {
					if (!bad++) {
						size_t at = 0;
						while (got[at] && got[at] == want[at]) at++;
						printf("# %s, skip_bad %d, only %d: differs at byte %zu\n#  libcsv:  %.120s\n#  scanner: %.120s\n",
						       impls[i], skip, k, at, want + (at > 40 ? at - 40 : 0), got + (at > 40 ? at - 40 : 0));
					}
				}
				free(got);
			}
			free(want);
		}
	return bad;
}

/* ---- generated files ------------------------------------------------------ */

static const char *header = "id,date,title,dimension,countries,organizations,event_type,format,lead,participants,kind";
static const char *dims[] = {"human", "economic", "environmental", "military-political", "institutional"};
static const char *countries[] = {"Kazakhstan", "T\xc3\xbcrkiye", "China", "India", "Thailand", "Russian Federation"};
static const char *titles[] = {
	"Plain title", "\"Quoted, with a comma\"", "\"She said \"\"yes\"\"\"", "\"\"\"\"", "\"\"",
	"\"Vi\xe1\xbb\x87t Nam \xf0\x9f\x8c\x8f meeting\"", "  spaced  ", "\"line one\nline two\"",
	"\"crlf\r\ninside\"", "x", "\"a,b,\"\"c\"\"\"", "", "\t tabbed\t",
};
/* rare cases that libcsv takes (or rejects): kept apart so most rows are simple */
static const char *odd_titles[] = {
	"bare\rCR", " \"space before\"", "\"space after\" ", "a\"b", "\"a\"b\"", "bad \xff byte",
	"\"unterminated", "trunc \xc3", "\"\"\"",
};

/* One record; odd: chance in 100 of an odd or bad cell. */
static void record(buf *b, long id, int odd, const char *eol)
{
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%ld,2023-%02u-%02u,", id, 1 + rnd(12), 1 + rnd(28));
	puts_(b, tmp);
	puts_(b, rnd(100) < (uint32_t)odd ? odd_titles[rnd(sizeof odd_titles / sizeof *odd_titles)]
	                                  : titles[rnd(sizeof titles / sizeof *titles)]);
	puts_(b, ",");
	puts_(b, rnd(100) < (uint32_t)odd ? "cultural" : dims[rnd(5)]);
	puts_(b, ",");
	int nc = 1 + (int)rnd(3);
	int quote = rnd(4) == 0;
	if (quote) puts_(b, "\"");
	for (int i = 0; i < nc; i++) {
		if (i) puts_(b, ";");
		puts_(b, countries[rnd(6)]);
	}
	if (quote) puts_(b, "\"");
	puts_(b, rnd(3) ? ",OSCE;UN,meeting,online,SG," : ",,visit, in-person ,DSG,");
	puts_(b, rnd(100) < (uint32_t)odd ? "x5" : rnd(4) ? "12" : "");
	puts_(b, rnd(100) < (uint32_t)odd ? ",article,extra" : ",article");
	puts_(b, rnd(50) == 0 ? "\r\n" : rnd(200) == 0 ? "\n\n" : eol);
}

static void generated(buf *b, int rows, int odd, const char *eol)
{
	b->n = 0;
	puts_(b, header);
	puts_(b, eol);
	for (int i = 0; i < rows; i++) record(b, i + 1, odd, eol);
}

/* Records padded so that tok lands with its byte `at` on body offset 64k + d,
 * for d from -3 to +3 over successive records. tok is placed in the title (or,
 * with in_kind, at the end of the last field, for line ends). */
static void edges(buf *b, const char *tok, int in_kind)
{
	size_t body;
	b->n = 0;
	puts_(b, header);
	puts_(b, "\n");
	body = b->n;
	for (int i = 0; i < 7 * 8; i++) {
		char pre[128], pad[128];
		int d = i % 7 - 3;
		snprintf(pre, sizeof pre, in_kind ? "%d,2023-05-01,t,human,China,,meeting,online,SG,3,k" : "%d,2023-05-01,\"t", i + 1);
		size_t pos = b->n - body + strlen(pre);
		size_t target = ((pos + 63) / 64 + 1) * 64 + (size_t)(64 + d);   /* a block edge ahead, shifted by d */
		size_t padn = (target - pos) % 64 + (size_t)(i / 7) * 64 % 128;
		memset(pad, 'p', padn);
		pad[padn] = 0;
		puts_(b, pre);
		puts_(b, pad);
		puts_(b, tok);
		if (in_kind) continue;   /* tok ends the record */
		puts_(b, "\",human,China,,meeting,online,SG,3,k\n");
	}
}

/* A copy of src with 1 to 3 random edits. */
static void mutate(buf *dst, const buf *src)
{
	static const char ins[] = {'"', ',', '\r', '\n', ' ', ';', '\xc3', '\xff', '\t', '"', '\0'};
	dst->n = 0;
	put(dst, src->p, src->n);
	for (int k = 1 + (int)rnd(3); k > 0; k--) {
		size_t at = rnd((uint32_t)dst->n);
		switch (rnd(3)) {
		case 0:   /* insert */
			put(dst, " ", 1);
			memmove(dst->p + at + 1, dst->p + at, dst->n - at - 1);
			dst->p[at] = ins[rnd(sizeof ins)];
			break;
		case 1:   /* delete */
			memmove(dst->p + at, dst->p + at + 1, dst->n - at - 1);
			dst->n--;
			break;
		default:  /* replace */
			dst->p[at] = ins[rnd(sizeof ins)];
		}
	}
}

int main(void)
{
	tl_error err;
	tl_vocab *v;
	buf b = {0}, m = {0};
	int bad;
	char name[160];

	memset(&err, 0, sizeof err);
	if (!(v = vocab_open("data", &err))) {
		printf("not ok - vocabulary: %s\n", err.msg);
		return 1;
	}
	vocab = v;
	snprintf(path, sizeof path, "/tmp/tally-scan-%ld.csv", (long)getpid());
	printf("# scanner implementation chosen: %s\n", scan_impl());

	rng = 42;
	bad = 0;
	for (int seed = 0; seed < 6; seed++) {
		generated(&b, 300, 0, seed & 1 ? "\r\n" : "\n");
		bad += differ(&b, 1, 0);
	}
	check(bad == 0, "generated files without odd cells: scanners and libcsv agree");

	bad = 0;
	for (int seed = 0; seed < 12; seed++) {
		generated(&b, 200, 3, seed & 1 ? "\r\n" : "\n");
		bad += differ(&b, 1, 0);
	}
	check(bad == 0, "generated files with odd cells (bare CR, stray quotes, bad UTF-8, ragged rows): agree");

	static const struct { const char *name, *tok; int in_kind; } toks[] = {
		{"a doubled quote", "\"\"", 0}, {"a closing quote before a comma", "", 0},
		{"a CRLF line end", "\r\n", 1}, {"a LF line end", "\n", 1},
		{"a 2-byte character", "\xc3\xbc", 0}, {"a 3-byte character", "\xe1\xbb\x87", 0},
		{"a 4-byte character", "\xf0\x9f\x8c\x8f", 0}, {"a quoted newline", "a\nb", 0},
	};
	for (size_t i = 0; i < sizeof toks / sizeof *toks; i++) {
		edges(&b, toks[i].tok, toks[i].in_kind);
		snprintf(name, sizeof name, "%s on every side of 64-byte block edges: agree", toks[i].name);
		check(differ(&b, 1, 0) == 0, name);
	}

	generated(&b, 150, 2, "\n");
	bad = 0;
	for (int k = 0; k < 150; k++) {
		mutate(&m, &b);
		bad += differ(&m, 1, 0);
	}
	check(bad == 0, "150 mutants of a generated file: agree");

	/* two threads: more than 8 MiB, split at the middle; the second file puts
	 * the middle inside a quoted field of many lines, so the split is redone */
	generated(&b, 90000, 0, "\n");
	bad = differ(&b, 2, 1);
	{
		size_t half = b.n;
		puts_(&b, "90001,2023-01-01,\"");
		for (int i = 0; i < 4000; i++) puts_(&b, "many lines, one field\n");
		puts_(&b, "\",human,China,,meeting,online,SG,3,k\n");
		size_t tail = b.n;
		while (b.n < tail + half - 30000) record(&b, 90002, 0, "\n");
	}
	bad += differ(&b, 2, 1);
	check(bad == 0, "two threads, with the split in a quoted field and not: agree");

	remove(path);
	free(b.p);
	free(m.p);
	vocab_free(v);
	return failed != 0;
}
