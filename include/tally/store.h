/* The record store: typed columns, dictionary-encoded categories.
 *
 * A store holds nrows records in columns. Categories and lists of categories
 * keep one interned copy of each distinct string (tl_dict) and a uint32 code per
 * value; text keeps bytes in one arena; dates are packed tl_date; integers are
 * int64 with a null bitmap. Roles (date, country, dimension) say which column
 * carries which meaning, whatever the CSV called it. */
#ifndef TALLY_STORE_H
#define TALLY_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "tally/date.h"
#include "tally/error.h"
#include "tally/mem.h"

#define TL_NA UINT32_MAX    /* a missing category code */

typedef enum tl_coltype {
	TL_TEXT,      /* free text (titles): kept, not dictionary-encoded */
	TL_CAT,       /* category: one code per row */
	TL_LIST,      /* list of categories, ';'-separated in the CSV */
	TL_DATE,      /* tl_date per row */
	TL_INT        /* int64 per row, nullable */
} tl_coltype;

/* Interned strings: code -> string, string -> code (through a hash table that is
 * the store's own business: core/store/store_int.h). */
typedef struct tl_dict {
	char    **str;       /* str[code], NUL-terminated, owned */
	uint32_t *len;
	uint32_t  n, cap;
	struct tl_dict_hash *hash;
	tl_mem   *mem;       /* what its memory is counted against; NULL: nothing */
} tl_dict;

tl_dict  *dict_new(void);
tl_dict  *dict_new_in(tl_mem *m);   /* every allocation of the dictionary counted in m */
void      dict_free(tl_dict *d);
uint32_t  dict_intern(tl_dict *d, const char *s, size_t n);      /* returns the code */
uint32_t  dict_find(const tl_dict *d, const char *s, size_t n);  /* TL_NA when absent */

typedef struct tl_column {
	char       *name;
	tl_coltype  type;
	tl_dict    *dict;      /* TL_CAT, TL_LIST */
	uint32_t   *codes;     /* TL_CAT: [nrows] once the dictionary outgrows small; TL_LIST: the values, [nvals] */
	uint8_t    *small;     /* TL_CAT: [nrows], TL_LIST: [nvals]: one-byte codes while the dictionary has
	                          < 255 strings (255 = missing); replaced by codes when it outgrows them */
	uint32_t   *offs;      /* TL_LIST: row r has codes[offs[r] .. offs[r+1]); TL_TEXT: arena offsets [nrows+1];
	                          32 bits: a column holds at most 4 GiB of text or 4G list values */
	size_t      nvals;     /* TL_LIST: number of values */
	char       *arena;     /* TL_TEXT bytes */
	tl_date    *dates;     /* TL_DATE: [nrows] */
	int64_t    *ints;      /* TL_INT: [nrows] */
	uint8_t    *nulls;     /* TL_INT: bitmap, bit set = missing */
	size_t      cap;       /* rows allocated */
	size_t      vcap;      /* TL_LIST values / TL_TEXT bytes allocated */
	tl_mem     *mem;       /* the store's: every array above is allocated in it */
} tl_column;

/* The meanings a column can carry. */
enum tl_role { TL_ROLE_DATE, TL_ROLE_COUNTRY, TL_ROLE_DIMENSION, TL_NROLES };

typedef struct tl_store {
	size_t      nrows;
	size_t      ncols;
	tl_column  *cols;
	int         role[TL_NROLES];  /* column index, or -1 */
	char       *source;           /* file name(s) it was loaded from */
	size_t      rejected;         /* rows skipped with --skip-bad */
	char      **header;           /* every column name of the source, kept or not */
	size_t      nheader;
	tl_mem     *mem;              /* the columns' memory is counted here (NULL: nowhere) */
} tl_store;

tl_store  *store_new(void);
/* A store whose columns and dictionaries are allocated in m: a load under a cap
 * stops when it would pass it, not after the whole file is in memory. */
tl_store  *store_new_in(tl_mem *m);
void       store_free(tl_store *s);
/* Adds an empty column and returns its index. */
int        store_add_column(tl_store *s, const char *name, tl_coltype type);
int        store_find(const tl_store *s, const char *name);  /* -1 when absent */
/* Bytes held by the columns (for `tally check` and the benchmarks). */
size_t     store_bytes(const tl_store *s);

/* Row access for bindings and printing. */
static inline uint32_t store_cat(const tl_column *c, size_t r)
{
	if (c->small) return c->small[r] == 255 ? TL_NA : c->small[r];
	return c->codes[r];
}
const char *store_text(const tl_column *c, size_t r, size_t *len);
/* Value v of a list column (v from offs[r] to offs[r+1]). */
static inline uint32_t store_val(const tl_column *c, size_t v) { return c->small ? c->small[v] : c->codes[v]; }
static inline int store_int_isnull(const tl_column *c, size_t r) { return (c->nulls[r >> 3] >> (r & 7)) & 1; }

const char *tl_coltype_name(tl_coltype t);

/* Appends all rows of src to dst; columns are matched by name and must agree in
 * type. Used for several input files and to merge the parts of a parallel load. */
int        store_append(tl_store *dst, const tl_store *src, tl_error *err);
/* The same, emptying src column by column as it goes (src is left with no rows). */
int        store_absorb(tl_store *dst, tl_store *src, tl_error *err);

#endif
