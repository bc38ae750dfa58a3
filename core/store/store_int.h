/* The store's own business, for the store and the loader that fills it: the
 * dictionaries' hash table and the setters that build columns row by row. */
#ifndef TALLY_STORE_INT_H
#define TALLY_STORE_INT_H

#include "tally/store.h"

/* Open addressing over the codes of a dictionary. */
struct tl_dict_hash {
	uint32_t *slots;     /* code+1, 0 = empty */
	uint32_t  nslots;    /* power of two */
};

/* Grows every column to hold at least nrows rows; the new rows are not
 * initialised: write each one (col_set_*, col_end_row) before reading it. */
int        store_reserve(tl_store *s, size_t nrows);
/* Gives back what the arrays hold beyond the rows and values written (a loaded
 * store grows by doubling): a store held under --max-memory counts its size. */
void       store_trim(tl_store *s);
/* Building rows, one column at a time: row r of every column is written before
 * row r+1. A list or text value is pushed, then its row is closed with
 * col_end_row. Each returns -1 when memory runs out. */
int col_set_cat(tl_column *c, size_t r, uint32_t code);
int col_push_val(tl_column *c, uint32_t code);            /* TL_LIST */
int col_push_text(tl_column *c, const char *s, size_t n); /* TL_TEXT */
void col_end_row(tl_column *c, size_t r);                 /* TL_LIST, TL_TEXT */
void col_set_date(tl_column *c, size_t r, tl_date d);
void col_set_int(tl_column *c, size_t r, int64_t v, int isnull);

#endif
