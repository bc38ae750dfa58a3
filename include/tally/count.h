/* Counting: per field, per date part, cross-tabs; filters that make selections. */
#ifndef TALLY_COUNT_H
#define TALLY_COUNT_H

#include <stdint.h>
#include "tally/ctx.h"
#include "tally/store.h"

/* A selection of rows: rows[0..n) in ascending order, or all rows when rows == NULL.
 * edge[0..nedge): the rows a date range left out although their date overlaps it
 * (an item dated only to May, kept from 15 April to 10 May), which every other
 * filter keeps: what a count of the selection says it leaves out. */
typedef struct tl_sel {
	uint32_t *rows;
	size_t    n;
	uint32_t *edge;
	size_t    nedge;
} tl_sel;

void tl_sel_free(tl_sel *s);   /* frees rows and edge; the struct itself is the caller's */

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
/* The two vocabulary checks of agg_check_filter, for a value looked up elsewhere
 * (a Counts key in Lua): 0 when the dimensions (the country vocabulary) know v,
 * else -1 with err "unknown dimension 'x' (did you mean ...)" ("unknown country"). */
int agg_check_dimension(const char *v, tl_error *err);
int agg_check_country(const tl_vocab *voc, const char *v, tl_error *err);
int agg_check_filter(const tl_store *s, const tl_filter *f, size_t nf, int allow_empty,
                     const char *hint, tl_ctx *ctx, tl_error *err);

/* Counts: one row per key. What every number means (README, "What the numbers
 * mean"): counts[i] is the items (records) that have key i; an item naming the same
 * value twice counts once. The items of the view are records + missing; a share
 * is counts[i] over them. For a list field an item may have several keys, so the
 * counts add up to the mentions, more than the items. */
typedef struct tl_counts {
	size_t    n;
	char    **keys;       /* owned */
	int64_t  *counts;
	int64_t  *least;      /* list fields: items whose least-counted key (fewest items; ties by
	                         key) is this one, so that the items naming any key folded into
	                         Other are counted once (tl_counts_top); NULL for other fields */
	uint32_t *order;      /* the natural (chronological or first-seen) index of each key */
	int64_t   records;    /* items with at least one key */
	int64_t   mentions;   /* (item, key) pairs: the sum of the counts; > records for lists */
	int64_t   missing;    /* items with no key (no value, or a date too coarse) */
	int64_t   edge;       /* items a date range left out, their date being only partly
	                         inside it (tl_sel's edge): not in the view, but said */
	int64_t   coarse_quarter, coarse_year;   /* date parts: of the missing, items dated only
	                         to the quarter or only to the year (counting months or quarters) */
	int       by_date;    /* keys are months, quarters or years */
	int       list;       /* the field is a list: an item may have several keys */
	int       vocab;      /* what the keys are, for looking one up as a filter takes it:
	                         TL_KEYS_COUNTRY (the country role), _DIMENSION, _MONTH,
	                         _QUARTER, _YEAR (date parts), _DATE (the dates), or 0 */
	char     *field;
} tl_counts;

enum { TL_KEYS_COUNTRY = 1, TL_KEYS_DIMENSION, TL_KEYS_MONTH, TL_KEYS_QUARTER, TL_KEYS_YEAR, TL_KEYS_DATE };

/* The items a count was taken over (the view), and key i's share of them. */
static inline int64_t tl_counts_items(const tl_counts *c) { return c->records + c->missing; }

/* field: a column name, or "month", "quarter", "year" of the date role (unless a
 * column has that name). Date parts fill gaps with 0 between the first and last key
 * (or between from and to when given). Sorted by count descending, then key. */
tl_counts *agg_count(const tl_store *s, const tl_sel *sel, const char *field,
                     tl_date from, tl_date to, tl_error *err);
void       tl_counts_free(tl_counts *c);
void       tl_counts_sort_key(tl_counts *c);    /* by key; dates chronologically */
void       tl_counts_sort_count(tl_counts *c);  /* by count descending, then key */

/* Cross-tab: rows are values of f1, columns values of f2, cell = records having both.
 * Rows come by the sum of their cells (what is shown), then key; date rows and
 * columns in time order. least_rows[i*ncols+j]: of the items in column j, those
 * whose least-counted row key (smallest row sum) is row i, for folding a list
 * field's rows into Other; least_cols likewise for columns. NULL unless the rows
 * (columns) are a list field. */
typedef struct tl_xtab {
	tl_counts *rows, *cols;   /* the margins, in display order */
	int64_t   *cells;         /* [rows->n * cols->n], row-major */
	int64_t   *least_rows, *least_cols;
} tl_xtab;

tl_xtab *agg_crosstab(const tl_store *s, const tl_sel *sel, const char *f1, const char *f2,
                      tl_date from, tl_date to, tl_error *err);
void     tl_xtab_free(tl_xtab *x);
int      tl_xtab_sort_key(tl_xtab *x);   /* rows by key (dates in time order), cells along; -1: no memory */

/* ---- top N: one meaning (core/count/top.c) ----
 * At most n named rows, largest first, never cut inside a tie: when the n-th
 * value ties with the next, the cut moves above the tie. The rest is folded into
 * one row "Other (k values)" when k >= 2; a single leftover is named instead. */

/* How many of len values sorted largest first to name when showing at most n. */
size_t     tl_top_keep(const int64_t *desc, size_t len, size_t n);
/* A new Counts: c's rows largest first, cut by tl_top_keep, and the rest folded
 * into "<other> (k values)" (other NULL: "Other"), which counts the items having
 * any folded key (a list field's items once, not once per key). NULL: no memory. */
tl_counts *tl_counts_top(const tl_counts *c, size_t n, const char *other);
/* The same for a cross-tab's rows, by row sums; cells of Other likewise. */
tl_xtab   *tl_xtab_top(const tl_xtab *x, size_t n, const char *other);
/* Percentages (0..100) of parts that make a whole, rounded to `decimals` places so
 * that they add up to 100 (largest remainder), except that equal counts always get
 * equal shares (a tie the remainder cannot cover is rounded alike); pct[i] for
 * v[i] of total. */
void       tl_round_shares(const int64_t *v, size_t n, int64_t total, int decimals, double *pct);
/* The sentences that say what a count leaves out or counts twice, for a table
 * footer or a chart note: "2 items name no countries. An item may name several
 * countries, so the counts add up to more than the 36 items." Empty when there is
 * nothing to say. Returns buf. */
char      *tl_counts_note(const tl_counts *c, char *buf, size_t n);
/* The same for a cross-tab: items in no row or no column, and items that may
 * count in several rows or columns. */
char      *tl_xtab_note(const tl_xtab *x, char *buf, size_t n);

/* Distinct values of column col, and rows with none in *missing; -1 when out of memory. */
int64_t  agg_distinct(const tl_store *s, int col, int64_t *missing);

#endif
