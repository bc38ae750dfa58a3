/* Private to the loader (csv.c, feed.c, memo.c, scan.c) and the cache (cache.c). */
#ifndef TALLY_LOAD_INT_H
#define TALLY_LOAD_INT_H

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <csv.h>
#include "tally/load.h"
#include "store/store_int.h"   /* the loader builds columns */

/* What the loader does with one CSV column. */
typedef struct tl_colspec {
	tl_coltype type;
	int        role;   /* enum tl_role, or -1 */
	int        keep;   /* stored (not skipped by opts->only) */
	int        col;    /* index in the store, or -1 */
	int        part;   /* 1 year, 2 month, 3 day of a split date; 0 otherwise */
} tl_colspec;

typedef struct tl_schema {
	tl_colspec *csv;
	size_t      ncsv;
	int         part_csv[3];       /* CSV columns of year, month, day, or -1 */
	int         date_from_parts;
	int         date_keep;
	int         date_col;          /* store column of the synthetic date, or -1 */
} tl_schema;

typedef struct tl_mslot {          /* one cached key of at most 32 bytes (memo.c) */
	uint64_t w[4];                 /* its bytes, zero-padded */
	uint32_t len;                  /* its length + 1; 0: empty */
	uint32_t val;
} tl_mslot;

typedef struct tl_memo {           /* raw cell -> resolved code (memo.c) */
	tl_mem   *mem;                 /* the load's: its tables are counted there */
	tl_dict  *raw;                 /* NULL: the cache alone (dates) */
	uint32_t *code;
	uint32_t  cap;
	tl_mslot *slot;                /* the last keys seen, direct-mapped */
	uint32_t  mask;                /* slots - 1 */
	tl_date  *days;                /* ISO days of 1900-2155 by their digits (memo_day) */
} tl_memo;

typedef struct tl_reject {
	long line, col;
	char msg[256];
} tl_reject;

/* One part of a load: a parser, the store it fills, and where it is. */
typedef struct tl_part {
	struct csv_parser   csv;
	const tl_schema    *sc;
	const tl_load_opts *opts;
	const char         *path;
	tl_mem             *mem;          /* the context's: what the part allocates is counted there */
	size_t              csvbuf;       /* bytes of libcsv's field buffer counted in mem */
	tl_store           *store;
	size_t              cap;          /* rows reserved in store */
	tl_memo            *memo;         /* per CSV column */
	long                line;         /* physical line being fed */
	char                eol;          /* the byte that ends a line: LF, or CR in CR-only files */
	long                row_line;     /* line where the current row began */
	int                 at_row_start;
	size_t              field;        /* fields seen in the current row */
	int                 bad;          /* the current row is rejected */
	int                 utf8_suspect; /* a line of the current row is not valid UTF-8 */
	long                bad_col;
	char                bad_msg[256];
	int64_t             parts[3];     /* split date parts of the current row */
	int                 stop;         /* strict mode hit an error */
	tl_error            err;
	tl_reject           rejects[10];
	size_t              nrejected;
	int                 progress;     /* 0 off, else the number of parts (scales the estimate) */
	int                 progress_shown;
	size_t              bytes_done, total;
	const char         *released;     /* mapped bytes before this are dropped from RSS */
	const char         *run_buf;      /* the buffer part_run is feeding */
	int                 scan;         /* the structural scanner goes first (TALLY_SCANNER != off) */
	unsigned char      *need;         /* per CSV column: the scanner must hand its cells over */
	char               *unq;          /* a quoted cell with its doubled quotes undone */
	size_t              unqcap;
	struct timespec     t0;
} tl_part;

typedef struct tl_part_job {
	tl_part    *part;
	const char *buf;
	size_t      n;
	int         last;
} tl_part_job;

int    schema_build(tl_schema *sc, char **names, size_t n, const tl_load_opts *o, const char *path, tl_error *err);
int    schema_columns(const tl_schema *sc, char **names, tl_store *s);
void   schema_free(tl_schema *sc);
size_t header_parse(const char *buf, size_t n, const char *path, char ***names, size_t *nnames, long *lines, tl_error *err);
void   header_free(char **names, size_t n);
int    part_init(tl_part *p, const tl_schema *sc, char **names, const tl_load_opts *o, const char *path);
void   part_run(tl_part *p, const char *buf, size_t n, int last);
void   part_field(void *data, size_t n, void *ctx);
void   part_row(int term, void *ctx);
size_t utf8_check(const unsigned char *s, size_t n);
int    memo_init(tl_memo *m, tl_mem *mem, int with_dict, unsigned slots);
void   memo_free(tl_memo *m);
uint32_t memo_lookup(tl_memo *m, const char *s, size_t n, int *found);
void   memo_cache(tl_memo *m, const char *s, size_t n, uint32_t code);
int    memo_add(tl_memo *m, const char *s, size_t n, uint32_t code);
tl_date *memo_day(tl_memo *m, const char *s, size_t n);
/* Stops the load with an error at column col of the current row, --skip-bad or not. */
void   part_fatal(tl_part *p, long col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define TL_TOOLONG "field longer than the 1 MiB limit (the load stops: no record has a cell this long)"
void   part_free(tl_part *p);
/* The memory a load is allowed (the context's tl_mem), or NULL. */
tl_mem *load_mem(const tl_load_opts *o);
/* When the load that began with refusals == before failed because the cap
 * refused memory, says so in err (naming the limit) instead of "out of memory". */
void   load_mem_error(const tl_load_opts *o, size_t before, const char *path, tl_error *err);
size_t load_mem_refusals(const tl_load_opts *o);
void   load_progress(tl_part *p);

/* The cache's reader and checksum, exposed for the fuzz harness. */
int      cache_read_column(FILE *f, size_t size, tl_column *c, size_t nrows);
uint64_t cache_checksum(const void *p, size_t n);

#endif
