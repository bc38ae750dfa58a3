/* Loading CSV files into a store with libcsv. */
#ifndef TALLY_LOAD_H
#define TALLY_LOAD_H

#include <stdio.h>
#include "tally/store.h"
#include "tally/ctx.h"
#include "tally/vocab.h"

#define TL_MAX_NA 16

typedef struct tl_load_opts {
	/* the CSV column that carries a role (tl_load_map); NULL = by digest header name */
	const char *map_date, *map_country, *map_dimension;
	const char *map_year, *map_month, *map_day;   /* split date columns */
	const char *date_format;     /* strptime style; NULL = ISO forms */
	const char *na[TL_MAX_NA];   /* cells read as missing */
	int         nna;
	int         skip_bad;        /* load the rest and report rejected rows (else the first stops the load) */
	tl_ccmode   country_codes;   /* how country cells are read: names, codes, raw */
	const char **only;           /* NULL-terminated field names to keep (streaming counts); NULL = all */
	int         threads;         /* 0 = as many as cores */
	size_t      split_min;       /* two threads split a body longer than this; 0 = 8 MiB (the
	                                fuzz harness splits small inputs to compare the halves' result) */
	int         no_cache;        /* neither read nor write the cache */
	int         no_scanner;      /* libcsv parses every record (TALLY_SCANNER=off): the
	                                reference the scanner is tested against */
	FILE       *report;          /* where skip_bad reports go; NULL = stderr */
	const tl_vocab *vocab;       /* country vocabulary; NULL: the context's, loaded only when a
	                                column holds countries that must be looked up */
	tl_ctx     *ctx;             /* home, cache directory, vocabulary; NULL: no cache, and
	                                countries are looked up only in vocab */
} tl_load_opts;

void tl_load_opts_init(tl_load_opts *o);

/* Sets the column that carries role (date, country or countries, dimension, or a
 * split date's year, month, day); col is kept, not copied. -1 for another role. */
int tl_load_map(tl_load_opts *o, const char *role, const char *col);
/* The same for "ROLE=COL[,ROLE=COL...]", split in place: spec must live as
 * long as o. -1 with err saying which part is wrong. */
int tl_load_mapspec(tl_load_opts *o, char *spec, tl_error *err);

/* Loads path into a new store. Strict unless opts->skip_bad; on a data error
 * returns NULL and fills err with file, line, column and reason. */
tl_store *tl_load_csv(const char *path, const tl_load_opts *opts, tl_error *err);

/* The same, served from the columnar cache when an unchanged file was loaded
 * before with the same options (unless opts->no_cache); a fresh load refills it. */
tl_store *tl_load_cached(const char *path, const tl_load_opts *opts, tl_error *err);

#endif
