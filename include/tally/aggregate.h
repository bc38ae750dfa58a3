/* Counting: per field, per date part, cross-tabs; filters that make selections. */
#ifndef TALLY_AGGREGATE_H
#define TALLY_AGGREGATE_H

#include <stdint.h>
#include "tally/ctx.h"
#include "tally/store.h"

/* A selection of rows: rows[0..n) in ascending order, or all rows when rows == NULL. */
typedef struct tl_sel {
	uint32_t *rows;
	size_t    n;
} tl_sel;

void tl_sel_free(tl_sel *s);   /* frees rows; the struct itself is the caller's */

/* A filter: field = one of values, and/or a date range on the date role. */
typedef struct tl_filter {
	const char  *field;      /* NULL for a date-only filter */
	const char **values;     /* NULL-terminated */
	tl_date      from, to;   /* TL_DATE_NONE = open; a record is in when its whole period lies in [from, to] */
} tl_filter;

/* Narrows sel (NULL = all rows) by every filter; result in *out. Country names
 * may be aliases when ctx (which may be NULL) gives a vocabulary. */
int agg_filter(const tl_store *s, const tl_sel *sel, const tl_filter *f, size_t nf,
               tl_ctx *ctx, tl_sel *out, tl_error *err);

/* Checks filter values before agg_filter, so that a misspelt value is an error,
 * not a count of zero (core/count/check.c). A value of a vocabulary field
 * (countries, dimension) must be in the vocabulary; a quarter, month or year must
 * have that form. Unless allow_empty, a value that no record of the whole store
 * holds is an error naming the nearest values held; hint ends that message (how to
 * ask for an empty result, "; --allow-empty ..."). ctx gives the country
 * vocabulary (NULL: countries are checked against the data only). 0, or -1 with err. */
int agg_check_filter(const tl_store *s, const tl_filter *f, size_t nf, int allow_empty,
                     const char *hint, tl_ctx *ctx, tl_error *err);

/* Counts: one row per key. */
typedef struct tl_counts {
	size_t    n;
	char    **keys;       /* owned */
	int64_t  *counts;
	uint32_t *order;      /* the natural (chronological or first-seen) index of each key */
	int64_t   records;    /* records counted (with at least one value) */
	int64_t   mentions;   /* values counted: > records for list fields */
	int64_t   missing;    /* records with no value */
	int       by_date;    /* keys are months, quarters or years */
	char     *field;
} tl_counts;

/* field: a column name, or "month", "quarter", "year" of the date role (unless a
 * column has that name). Date parts fill gaps with 0 between the first and last key
 * (or between from and to when given). Sorted by count descending, then key. */
tl_counts *agg_count(const tl_store *s, const tl_sel *sel, const char *field,
                     tl_date from, tl_date to, tl_error *err);
void       tl_counts_free(tl_counts *c);
void       tl_counts_sort_key(tl_counts *c);    /* by key; dates chronologically */
void       tl_counts_sort_count(tl_counts *c);  /* by count descending, then key */

/* Cross-tab: rows are values of f1, columns values of f2, cell = records having both. */
typedef struct tl_xtab {
	tl_counts *rows, *cols;   /* the margins, in display order */
	int64_t   *cells;         /* [rows->n * cols->n], row-major */
} tl_xtab;

tl_xtab *agg_crosstab(const tl_store *s, const tl_sel *sel, const char *f1, const char *f2,
                      tl_date from, tl_date to, tl_error *err);
void     tl_xtab_free(tl_xtab *x);
int      tl_xtab_sort_key(tl_xtab *x);   /* rows by key (dates in time order), cells along; -1: no memory */

/* Distinct values of column col, and rows with none in *missing; -1 when out of memory. */
int64_t  agg_distinct(const tl_store *s, int col, int64_t *missing);

#endif
