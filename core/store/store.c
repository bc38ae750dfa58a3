/* The columnar record store and its string dictionaries. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "store/store_int.h"

/* ---------------------------------------------------------------- dictionary */

/* FNV-1a: the dictionaries hold short strings (country names, codes), where a
 * simple byte hash is as fast as anything and needs no tuning. */
static uint32_t dict_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

tl_dict *dict_new_in(tl_mem *m)
{
	tl_dict *d = tl_calloc(m, 1, sizeof *d);
	if (!d) return NULL;
	d->mem = m;
	if (!(d->hash = tl_calloc(m, 1, sizeof *d->hash))) { tl_free(m, d); return NULL; }
	d->hash->nslots = 64;
	d->hash->slots = tl_calloc(m, d->hash->nslots, sizeof *d->hash->slots);
	if (!d->hash->slots) { tl_free(m, d->hash); tl_free(m, d); return NULL; }
	return d;
}

tl_dict *dict_new(void)
{
	return dict_new_in(NULL);
}

void dict_free(tl_dict *d)
{
	if (!d) return;
	tl_mem *m = d->mem;
	for (uint32_t i = 0; i < d->n; i++) tl_free(m, d->str[i]);
	tl_free(m, d->str);
	tl_free(m, d->len);
	tl_free(m, d->hash->slots);
	tl_free(m, d->hash);
	tl_free(m, d);
}

uint32_t dict_find(const tl_dict *d, const char *s, size_t n)
{
	uint32_t mask = d->hash->nslots - 1, i = dict_hash(s, n) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t c = d->hash->slots[i];
		if (!c) return TL_NA;
		c--;
		if (d->len[c] == n && memcmp(d->str[c], s, n) == 0) return c;
	}
}

static int dict_grow(tl_dict *d)
{
	uint32_t ns = d->hash->nslots * 2, mask = ns - 1;
	uint32_t *slots = tl_calloc(d->mem, ns, sizeof *slots);
	if (!slots) return -1;
	for (uint32_t c = 0; c < d->n; c++) {
		uint32_t i = dict_hash(d->str[c], d->len[c]) & mask;
		while (slots[i]) i = (i + 1) & mask;
		slots[i] = c + 1;
	}
	tl_free(d->mem, d->hash->slots);
	d->hash->slots = slots;
	d->hash->nslots = ns;
	return 0;
}

uint32_t dict_intern(tl_dict *d, const char *s, size_t n)
{
	uint32_t mask = d->hash->nslots - 1, i = dict_hash(s, n) & mask, c;
	for (;; i = (i + 1) & mask) {
		c = d->hash->slots[i];
		if (!c) break;
		if (d->len[c - 1] == n && memcmp(d->str[c - 1], s, n) == 0) return c - 1;
	}
	if (d->n == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 16;
		char **str = tl_realloc(d->mem, d->str, cap * sizeof *str);
		if (!str) return TL_NA;
		d->str = str;
		uint32_t *len = tl_realloc(d->mem, d->len, cap * sizeof *len);
		if (!len) return TL_NA;
		d->len = len;
		d->cap = cap;
	}
	c = d->n;
	if (!(d->str[c] = tl_malloc(d->mem, n + 1))) return TL_NA;
	memcpy(d->str[c], s, n);
	d->str[c][n] = 0;
	d->len[c] = (uint32_t)n;
	d->n++;
	d->hash->slots[i] = c + 1;
	/* keep the table at most half full */
	if (d->n * 2 > d->hash->nslots && dict_grow(d) < 0) return TL_NA;
	return c;
}

/* ------------------------------------------------------------------- columns */

const char *tl_coltype_name(tl_coltype t)
{
	static const char *names[] = {"text", "category", "list", "date", "integer"};
	return names[t];
}

tl_store *store_new_in(tl_mem *m)
{
	tl_store *s = calloc(1, sizeof *s);
	if (!s) return NULL;
	for (int i = 0; i < TL_NROLES; i++) s->role[i] = -1;
	s->mem = m;
	return s;
}

tl_store *store_new(void)
{
	return store_new_in(NULL);
}

/* The row and value arrays, given back to the store's tl_mem. */
static void column_free_data(tl_column *c)
{
	tl_mem *m = c->mem;
	tl_free(m, c->codes); tl_free(m, c->small); tl_free(m, c->offs); tl_free(m, c->arena);
	tl_free(m, c->dates); tl_free(m, c->ints); tl_free(m, c->nulls);
	c->codes = NULL; c->small = NULL; c->offs = NULL; c->arena = NULL;
	c->dates = NULL; c->ints = NULL; c->nulls = NULL;
}

static void column_free(tl_column *c)
{
	free(c->name);
	dict_free(c->dict);
	column_free_data(c);
}

void store_free(tl_store *s)
{
	if (!s) return;
	for (size_t i = 0; i < s->ncols; i++) column_free(&s->cols[i]);
	free(s->cols);
	free(s->source);
	for (size_t i = 0; i < s->nheader; i++) free(s->header[i]);
	free(s->header);
	free(s);
}

int store_add_column(tl_store *s, const char *name, tl_coltype type)
{
	tl_column *cols = realloc(s->cols, (s->ncols + 1) * sizeof *cols);
	if (!cols) return -1;
	s->cols = cols;
	tl_column *c = &cols[s->ncols];
	memset(c, 0, sizeof *c);
	if (!(c->name = strdup(name))) return -1;
	c->type = type;
	c->mem = s->mem;
	if (((type == TL_CAT || type == TL_LIST) && !(c->dict = dict_new_in(s->mem)))
	    || ((type == TL_LIST || type == TL_TEXT) && !(c->offs = tl_calloc(s->mem, 1, sizeof *c->offs)))) {
		free(c->name);   /* the column is not counted: nothing else would free these */
		dict_free(c->dict);
		memset(c, 0, sizeof *c);
		return -1;
	}
	return (int)s->ncols++;
}

int store_find(const tl_store *s, const char *name)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0) return (int)i;
	return -1;
}

static int grow(tl_mem *m, void **p, size_t elem, size_t n)
{
	void *q = tl_realloc(m, *p, elem * n);
	if (!q && n) return -1;
	*p = q;
	return 0;
}

/* Row arrays grow together; a list's values and a text's bytes grow on their own.
 * New rows are not initialised: every row is written before it is counted, and
 * untouched capacity costs no memory (the loader doubles its reserve as it goes). */
static int column_reserve(tl_column *c, size_t nrows)
{
	if (nrows <= c->cap) return 0;
	switch (c->type) {
	case TL_CAT:
		if (c->codes ? grow(c->mem, (void **)&c->codes, sizeof *c->codes, nrows) : grow(c->mem, (void **)&c->small, 1, nrows))
			return -1;
		break;
	case TL_LIST:
	case TL_TEXT:
		if (grow(c->mem, (void **)&c->offs, sizeof *c->offs, nrows + 1)) return -1;
		break;
	case TL_DATE:
		if (grow(c->mem, (void **)&c->dates, sizeof *c->dates, nrows)) return -1;
		break;
	case TL_INT:
		if (grow(c->mem, (void **)&c->ints, sizeof *c->ints, nrows)) return -1;
		if (grow(c->mem, (void **)&c->nulls, 1, (nrows + 7) / 8)) return -1;
		break;
	}
	c->cap = nrows;
	return 0;
}

int store_reserve(tl_store *s, size_t nrows)
{
	for (size_t i = 0; i < s->ncols; i++)
		if (column_reserve(&s->cols[i], nrows) < 0) return -1;
	return 0;
}

/* An array cut to n elements (never to zero: a NULL array means "none" to readers). */
static void trim_to(tl_mem *m, void **p, size_t elem, size_t n)
{
	void *q;
	if (*p && n && (q = tl_realloc(m, *p, elem * n))) *p = q;
}

void store_trim(tl_store *s)
{
	size_t n = s->nrows;
	if (n == 0) return;   /* nothing to cut to: an empty store keeps its first reserve */
	for (size_t i = 0; i < s->ncols; i++) {
		tl_column *c = &s->cols[i];
		switch (c->type) {
		case TL_CAT: trim_to(c->mem, c->codes ? (void **)&c->codes : (void **)&c->small, c->codes ? 4 : 1, n); break;
		case TL_LIST:
			trim_to(c->mem, (void **)&c->offs, sizeof *c->offs, n + 1);
			trim_to(c->mem, c->codes ? (void **)&c->codes : (void **)&c->small, c->codes ? 4 : 1, c->nvals);
			c->vcap = c->nvals ? c->nvals : c->vcap;
			break;
		case TL_TEXT:
			trim_to(c->mem, (void **)&c->offs, sizeof *c->offs, n + 1);
			trim_to(c->mem, (void **)&c->arena, 1, c->nvals);
			c->vcap = c->nvals ? c->nvals : c->vcap;
			break;
		case TL_DATE: trim_to(c->mem, (void **)&c->dates, sizeof *c->dates, n); break;
		case TL_INT:
			trim_to(c->mem, (void **)&c->ints, sizeof *c->ints, n);
			trim_to(c->mem, (void **)&c->nulls, 1, (n + 7) / 8);
			break;
		}
		c->cap = n;
	}
}

size_t store_bytes(const tl_store *s)
{
	size_t b = 0;
	for (size_t i = 0; i < s->ncols; i++) {
		const tl_column *c = &s->cols[i];
		switch (c->type) {
		case TL_CAT: b += s->nrows * (c->small ? 1 : 4); break;
		case TL_LIST: b += (s->nrows + 1) * 4 + c->nvals * (c->small ? 1 : 4); break;
		case TL_TEXT: b += (s->nrows + 1) * 4 + c->offs[s->nrows]; break;
		case TL_DATE: b += s->nrows * 4; break;
		case TL_INT: b += s->nrows * 8 + (s->nrows + 7) / 8; break;
		}
		if (c->dict)
			for (uint32_t k = 0; k < c->dict->n; k++) b += c->dict->len[k] + 1 + 8;
	}
	return b;
}

const char *store_text(const tl_column *c, size_t r, size_t *len)
{
	*len = c->offs[r + 1] - c->offs[r];
	return c->arena ? c->arena + c->offs[r] : "";   /* a column of empty cells has no arena */
}

/* Category codes start one byte wide and widen to four bytes, in place, when
 * the dictionary reaches 255 strings: most categories have a handful of values. */
static int widen(tl_column *c, size_t rows)
{
	uint32_t *codes = tl_malloc(c->mem, (c->cap ? c->cap : 1) * sizeof *codes);
	if (!codes) return -1;
	for (size_t r = 0; r < rows; r++) codes[r] = c->small[r] == 255 ? TL_NA : c->small[r];
	tl_free(c->mem, c->small);
	c->small = NULL;
	c->codes = codes;
	return 0;
}

int col_set_cat(tl_column *c, size_t r, uint32_t code)
{
	if (c->small) {
		if (code == TL_NA) { c->small[r] = 255; return 0; }
		if (code < 255) { c->small[r] = (uint8_t)code; return 0; }
		if (widen(c, r) < 0) return -1;
	}
	c->codes[r] = code;
	return 0;
}

/* List values are one byte wide until the dictionary reaches 255 strings. */
static int widen_vals(tl_column *c)
{
	uint32_t *codes = tl_malloc(c->mem, (c->vcap ? c->vcap : 1) * sizeof *codes);
	if (!codes) return -1;
	for (size_t v = 0; v < c->nvals; v++) codes[v] = c->small[v];
	tl_free(c->mem, c->small);
	c->small = NULL;
	c->codes = codes;
	return 0;
}

int col_push_val(tl_column *c, uint32_t code)
{
	if (c->nvals >= UINT32_MAX) return -1;
	if (!c->codes && !c->small && !c->vcap) c->vcap = 0;
	if (c->nvals == c->vcap) {
		size_t cap = c->vcap ? c->vcap * 2 : 256;
		if (c->codes ? grow(c->mem, (void **)&c->codes, sizeof *c->codes, cap) : grow(c->mem, (void **)&c->small, 1, cap)) return -1;
		c->vcap = cap;
	}
	if (!c->codes && code >= 255 && widen_vals(c) < 0) return -1;
	if (c->codes) c->codes[c->nvals++] = code;
	else c->small[c->nvals++] = (uint8_t)code;
	return 0;
}

int col_push_text(tl_column *c, const char *s, size_t n)
{
	size_t used = c->nvals;   /* for text, nvals counts arena bytes */
	if (n == 0) return 0;     /* the arena may not exist yet: no memcpy from or to NULL */
	if (used + n > UINT32_MAX) return -1;
	if (used + n > c->vcap) {
		size_t cap = c->vcap ? c->vcap : 4096;
		while (cap < used + n) cap *= 2;
		if (grow(c->mem, (void **)&c->arena, 1, cap)) return -1;
		c->vcap = cap;
	}
	if (n) memcpy(c->arena + used, s, n);   /* an empty first cell: arena may still be NULL */
	c->nvals += n;
	return 0;
}

void col_end_row(tl_column *c, size_t r)
{
	c->offs[r + 1] = (uint32_t)c->nvals;
}

void col_set_date(tl_column *c, size_t r, tl_date d)
{
	c->dates[r] = d;
}

void col_set_int(tl_column *c, size_t r, int64_t v, int isnull)
{
	c->ints[r] = v;
	if ((r & 7) == 0) c->nulls[r >> 3] = 0;   /* rows come in order: a new byte starts clear */
	if (isnull) c->nulls[r >> 3] |= (uint8_t)(1u << (r & 7));
	else c->nulls[r >> 3] &= (uint8_t)~(1u << (r & 7));
}

/* Codes of src's dictionary re-interned in dst's: the parts of a parallel load
 * and separate files each have their own dictionaries. */
static uint32_t *dict_remap(tl_dict *dst, const tl_dict *src)
{
	uint32_t *map = tl_malloc(dst->mem, (src->n ? src->n : 1) * sizeof *map);
	if (!map) return NULL;
	for (uint32_t k = 0; k < src->n; k++)
		if ((map[k] = dict_intern(dst, src->str[k], src->len[k])) == TL_NA) { tl_free(dst->mem, map); return NULL; }
	return map;
}

/* Gives the whole pages inside p[0..n) back to the system: the bytes were copied
 * and the block is about to be freed, so a merge never holds two copies of a big
 * text column. Safe for heap blocks too: only pages strictly inside are dropped. */
static void drop_pages(char *p, size_t n)
{
	static long pg;
	if (!pg) pg = sysconf(_SC_PAGESIZE);
	uintptr_t lo = ((uintptr_t)p + (uintptr_t)pg - 1) & ~(uintptr_t)(pg - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(pg - 1);
	if (hi > lo) madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

#define MERGE_BLOCK (1u << 18)

/* Copies rows r0..r1 of c after dst row base, through the code map of c's dictionary. */
static int append_rows(tl_column *d, const tl_column *c, const uint32_t *map, size_t base, size_t r0, size_t r1)
{
	switch (c->type) {
	case TL_CAT:
		for (size_t r = r0; r < r1; r++) {
			uint32_t code = store_cat(c, r);
			if (col_set_cat(d, base + r, code == TL_NA ? TL_NA : map[code]) < 0) return -1;
		}
		break;
	case TL_LIST:
		for (size_t r = r0; r < r1; r++) {
			for (uint32_t v = c->offs[r]; v < c->offs[r + 1]; v++)
				if (col_push_val(d, map[store_val(c, v)]) < 0) return -1;
			col_end_row(d, base + r);
		}
		break;
	case TL_TEXT: {
		size_t from = c->offs[r0], to = c->offs[r1];
		uint32_t at = d->offs[base + r0];
		if ((uint64_t)at + (to - from) > UINT32_MAX) return -1;
		if (to > from && col_push_text(d, c->arena + from, to - from) < 0) return -1;
		for (size_t r = r0; r < r1; r++) d->offs[base + r + 1] = at + (c->offs[r + 1] - from);
		break;
	}
	case TL_DATE:
		memcpy(d->dates + base + r0, c->dates + r0, (r1 - r0) * sizeof *c->dates);
		break;
	case TL_INT:
		memcpy(d->ints + base + r0, c->ints + r0, (r1 - r0) * sizeof *c->ints);
		for (size_t r = r0; r < r1; r++) col_set_int(d, base + r, c->ints[r], store_int_isnull(c, r));
		break;
	}
	return 0;
}

/* Gives back the pages of rows r0..r1 of a column that has been copied. */
static void release_rows(tl_column *c, size_t r0, size_t r1)
{
	switch (c->type) {
	case TL_CAT:
		if (c->small) drop_pages((char *)(c->small + r0), r1 - r0);
		else drop_pages((char *)(c->codes + r0), (r1 - r0) * sizeof *c->codes);
		break;
	case TL_LIST:   /* a list column with no value yet has no value array */
		if (c->offs[r1] == c->offs[r0]) ;
		else if (c->small) drop_pages((char *)(c->small + c->offs[r0]), c->offs[r1] - c->offs[r0]);
		else drop_pages((char *)(c->codes + c->offs[r0]), (c->offs[r1] - c->offs[r0]) * sizeof *c->codes);
		drop_pages((char *)(c->offs + r0), (r1 - r0) * sizeof *c->offs);
		break;
	case TL_TEXT:
		if (c->arena) drop_pages(c->arena + c->offs[r0], c->offs[r1] - c->offs[r0]);
		drop_pages((char *)(c->offs + r0), (r1 - r0) * sizeof *c->offs);
		break;
	case TL_DATE: drop_pages((char *)(c->dates + r0), (r1 - r0) * sizeof *c->dates); break;
	case TL_INT: drop_pages((char *)(c->ints + r0), (r1 - r0) * sizeof *c->ints); break;
	}
}

/* Appends src to dst; when consume is set, frees each of src's columns as soon as
 * it is copied, so that merging the halves of a parallel load needs the memory of
 * the result plus one column, not of both halves and the result. */
static int append(tl_store *dst, tl_store *src, int consume, tl_error *err)
{
	size_t base = dst->nrows, n = src->nrows;
	if (dst->ncols == 0) {
		for (size_t i = 0; i < src->ncols; i++)
			if (store_add_column(dst, src->cols[i].name, src->cols[i].type) < 0) goto nomem;
		memcpy(dst->role, src->role, sizeof dst->role);
	}
	if (!dst->nheader && src->nheader) {
		if (!(dst->header = calloc(src->nheader, sizeof *dst->header))) goto nomem;
		for (; dst->nheader < src->nheader; dst->nheader++)
			if (!(dst->header[dst->nheader] = strdup(src->header[dst->nheader]))) goto nomem;
	}
	if (dst->ncols != src->ncols) return tl_fail(err, src->source, 0, 0, "the files have different columns");
	for (size_t i = 0; i < src->ncols; i++)
		if (strcmp(dst->cols[i].name, src->cols[i].name) || dst->cols[i].type != src->cols[i].type)
			return tl_fail(err, src->source, 0, 0, "column %zu (%s) differs from the first file's (%s)",
			               i + 1, src->cols[i].name, dst->cols[i].name);
	if (store_reserve(dst, base + n) < 0) goto nomem;
	for (size_t i = 0; i < src->ncols; i++) {
		tl_column *d = &dst->cols[i];
		tl_column *c = &src->cols[i];
		uint32_t *map = NULL;
		if (c->dict && !(map = dict_remap(d->dict, c->dict))) goto nomem;
		/* a block of rows at a time, so that a consumed source gives its pages
		 * back as they are copied: a merge holds the result and one block */
		for (size_t r0 = 0, r1; r0 < n; r0 = r1) {
			r1 = n - r0 < MERGE_BLOCK ? n : r0 + MERGE_BLOCK;
			if (append_rows(d, c, map, base, r0, r1) < 0) { tl_free(d->mem, map); goto nomem; }
			if (consume) release_rows(c, r0, r1);
		}
		tl_free(d->mem, map);
		if (consume) column_free_data(c);
	}
	dst->nrows += n;
	dst->rejected += src->rejected;
	return 0;
nomem:
	return tl_fail(err, src->source, 0, 0, "out of memory");
}

int store_append(tl_store *dst, const tl_store *src, tl_error *err)
{
	return append(dst, (tl_store *)src, 0, err);
}

int store_absorb(tl_store *dst, tl_store *src, tl_error *err)
{
	int rc = append(dst, src, 1, err);
	src->nrows = 0;
	return rc;
}
