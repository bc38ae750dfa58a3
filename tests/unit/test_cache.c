/* Unit tests of the cache reader: a column file is trusted only when its sum
 * matches and every code and offset is within bounds (issue 10, item 6).
 * checks: 10 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/store.h"
#include "load/load_int.h"

static int failed;

static void check(int cond, const char *name)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (!cond) failed++;
}

/* A column file built by hand, as cache_write lays it out. */
typedef struct file { unsigned char b[4096]; size_t n; } file;

static void add(file *f, const void *p, size_t n) { memcpy(f->b + f->n, p, n); f->n += n; }
static void add64(file *f, uint64_t v) { add(f, &v, 8); }
static void seal(file *f) { uint64_t h = cache_checksum(f->b, f->n); add(f, &h, 8); }

static void head(file *f, tl_coltype t, uint64_t rows, uint64_t nvals, const char *const *dict, int ndict)
{
	f->n = 0;
	add(f, "TALLYC06", 8);
	add64(f, t); add64(f, rows); add64(f, nvals); add64(f, (uint64_t)ndict);
	for (int k = 0; k < ndict; k++) { add64(f, strlen(dict[k])); add(f, dict[k], strlen(dict[k])); }
}

/* Reads f as column type t of rows rows; the column is checked by want(). */
static int load(const file *f, tl_coltype t, size_t rows, tl_store **out)
{
	tl_store *s = store_new();
	FILE *m = fmemopen((void *)f->b, f->n, "rb");
	int rc;
	store_add_column(s, "x", t);
	rc = cache_read_column(m, f->n, &s->cols[0], rows);
	fclose(m);
	if (rc == 0 && out) { s->nrows = rows; *out = s; }
	else store_free(s);
	return rc;
}

int main(void)
{
	static const char *const dict[] = {"Kazakhstan", "India"};
	file f;
	tl_store *s = NULL;
	uint8_t small[3] = {1, 0, 255};
	uint32_t offs[4] = {0, 2, 2, 3}, codes[3] = {0, 1, 1};

	/* a category column with a one-byte missing code */
	head(&f, TL_CAT, 3, 0, dict, 2); add64(&f, 1); add(&f, small, 3); seal(&f);
	check(load(&f, TL_CAT, 3, &s) == 0 && store_cat(&s->cols[0], 0) == 1 && store_cat(&s->cols[0], 2) == TL_NA,
	      "a category column written by hand reads back");
	store_free(s);
	check(load(&f, TL_CAT, 4, NULL) < 0, "a row count other than the entry's is refused");
	f.b[8 + 40 + 4] ^= 1;   /* a letter of "Kazakhstan" */
	check(load(&f, TL_CAT, 3, NULL) < 0, "one flipped bit fails the checksum");
	small[1] = 2;           /* the dictionary has two strings */
	head(&f, TL_CAT, 3, 0, dict, 2); add64(&f, 1); add(&f, small, 3); seal(&f);
	check(load(&f, TL_CAT, 3, NULL) < 0, "a code past the dictionary is refused, checksum or not");
	head(&f, TL_CAT, 3, 0, dict, 2); add64(&f, 4); add(&f, codes, 12); seal(&f);
	check(load(&f, TL_CAT, 3, &s) == 0 && store_cat(&s->cols[0], 2) == 1, "a four-byte category column reads back");
	store_free(s);

	/* lists: offsets in order and ending at the number of values */
	head(&f, TL_LIST, 3, 3, dict, 2); add64(&f, 4); add(&f, offs, 16); add(&f, codes, 12); seal(&f);
	check(load(&f, TL_LIST, 3, &s) == 0 && s->cols[0].offs[3] == 3, "a list column reads back");
	store_free(s);
	offs[2] = 1;
	head(&f, TL_LIST, 3, 3, dict, 2); add64(&f, 4); add(&f, offs, 16); add(&f, codes, 12); seal(&f);
	check(load(&f, TL_LIST, 3, NULL) < 0, "list offsets that go back are refused");

	/* text: offsets past the arena */
	uint32_t toffs[3] = {0, 3, 9};
	head(&f, TL_TEXT, 2, 5, NULL, 0); add(&f, toffs, 12); add(&f, "abcde", 5); seal(&f);
	check(load(&f, TL_TEXT, 2, NULL) < 0, "text offsets past the arena are refused");

	/* dates: only what tl_date_make makes */
	tl_date d[2] = {tl_date_make(2023, 4, 10, TL_PREC_DAY), tl_date_make(2023, 4, 31, TL_PREC_DAY)};
	head(&f, TL_DATE, 2, 0, NULL, 0); add(&f, d, 8); seal(&f);
	check(load(&f, TL_DATE, 2, NULL) < 0, "31 April in a date column is refused");

	/* a row count the file cannot hold is refused before anything is allocated */
	head(&f, TL_INT, (uint64_t)1 << 40, 0, NULL, 0); seal(&f);
	check(load(&f, TL_INT, (size_t)1 << 40, NULL) < 0, "2^40 rows in a 48-byte file are refused");
	return failed != 0;
}
