/* Memos: a column's raw cells resolved once per distinct value.
 *
 * A country, a dimension or a date is looked up, checked and turned into a
 * code the first time its text is seen; after that the memo answers. A memo
 * is a dictionary of the raw texts (countries and dimensions) with a small
 * cache in front: the last keys seen, direct-mapped by a hash of their bytes,
 * so that a repeated cell costs a few word compares, not a dictionary probe
 * that hashes the same bytes again. Dates use the cache alone: their distinct
 * values can run into millions, and a miss only costs a parse; ISO days have a
 * table of their own, indexed by their digits. */
#include <stdlib.h>
#include <string.h>
#include "load/load_int.h"

/* The first r (1 to 7) bytes at s as a zero-padded word, reading no byte past them. */
static inline uint64_t load_part(const char *s, size_t r)
{
	if (r >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + r - 4, 4);   /* overlaps a: the same bytes at the same places */
		return a | (uint64_t)b << (8 * (r - 4));
	}
	return (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[r / 2] << (8 * (r / 2)) |
	       (uint64_t)(unsigned char)s[r - 1] << (8 * (r - 1));
}

/* A key as four zero-padded words, compared and hashed a word at a time. Whole
 * words are loaded as words: copying the bytes out first would make each load
 * wait for the copy. */
static inline int key_words(const char *s, size_t n, uint64_t w[4])
{
	size_t i = 0;
	if (n > sizeof(uint64_t[4])) return -1;
	w[0] = w[1] = w[2] = w[3] = 0;
	for (; i + 8 <= n; i += 8) memcpy(&w[i / 8], s + i, 8);
	if (i < n) w[i / 8] = load_part(s + i, n - i);
	return 0;
}

static inline uint32_t key_slot(const tl_memo *m, const uint64_t w[4], size_t n)
{
	uint64_t h = (w[0] * 0x9e3779b97f4a7c15ull) ^ (w[1] * 0xc2b2ae3d27d4eb4full) ^
	             (w[2] * 0x165667b19e3779f9ull) ^ (w[3] * 0x27d4eb2f165667c5ull) ^ n;
	h ^= h >> 29;
	h *= 0x94d049bb133111ebull;
	return (uint32_t)(h >> 32) & m->mask;
}

int memo_init(tl_memo *m, tl_mem *mem, int with_dict, unsigned slots)
{
	memset(m, 0, sizeof *m);
	m->mem = mem;
	if (with_dict && !(m->raw = dict_new_in(mem))) return -1;
	m->mask = slots - 1;   /* the slots come with the first key cached */
	return 0;
}

void memo_free(tl_memo *m)
{
	dict_free(m->raw);
	tl_free(m->mem, m->code);
	tl_free(m->mem, m->slot);
	tl_free(m->mem, m->days);
	memset(m, 0, sizeof *m);
}

/* raw cell text -> its code (or TL_NA), *found saying whether it was seen */
uint32_t memo_lookup(tl_memo *m, const char *s, size_t n, int *found)
{
	uint64_t w[4];
	if (m->slot && key_words(s, n, w) == 0) {
		const tl_mslot *e = &m->slot[key_slot(m, w, n)];
		if (e->len == n + 1 && e->w[0] == w[0] && e->w[1] == w[1] && e->w[2] == w[2] && e->w[3] == w[3]) {
			*found = 1;
			return e->val;
		}
	}
	uint32_t k = m->raw ? dict_find(m->raw, s, n) : TL_NA;
	*found = k != TL_NA;
	if (k == TL_NA) return TL_NA;
	memo_cache(m, s, n, m->code[k]);
	return m->code[k];
}

/* Remembers code in the cache alone (where a key of more than 32 bytes is not kept). */
void memo_cache(tl_memo *m, const char *s, size_t n, uint32_t code)
{
	uint64_t w[4];
	if (key_words(s, n, w) < 0) return;
	if (!m->slot && !(m->slot = tl_calloc(m->mem, m->mask + 1, sizeof *m->slot))) return;   /* a cache only */
	tl_mslot *e = &m->slot[key_slot(m, w, n)];
	memcpy(e->w, w, sizeof e->w);
	e->len = (uint32_t)n + 1;
	e->val = code;
}

/* Remembers code for good: in the dictionary when the memo has one, and in the cache. */
int memo_add(tl_memo *m, const char *s, size_t n, uint32_t code)
{
	memo_cache(m, s, n, code);
	if (!m->raw) return 0;
	uint32_t k = dict_intern(m->raw, s, n);
	if (k == TL_NA) return -1;
	if (k >= m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 64;
		while (cap <= k) cap *= 2;
		uint32_t *c = tl_realloc(m->mem, m->code, cap * sizeof *c);
		if (!c) return -1;
		m->code = c;
		m->cap = cap;
	}
	m->code[k] = code;
	return 0;
}

/* The entry of an ISO day "YYYY-MM-DD" (years 1900-2155) in the memo's table
 * of days, indexed by its digits: 0 until the day has parsed once. NULL for any
 * other text (or no memory), which goes through memo_lookup. */
tl_date *memo_day(tl_memo *m, const char *s, size_t n)
{
	unsigned y = 0, dg[4];
	if (n != 10 || s[4] != '-' || s[7] != '-') return NULL;
	for (int i = 0; i < 4; i++) {
		unsigned c = (unsigned)(unsigned char)s[i] - '0';
		if (c > 9) return NULL;
		y = y * 10 + c;
	}
	for (int i = 0; i < 4; i++)
		if ((dg[i] = (unsigned)(unsigned char)s[5 + i + (i >= 2)] - '0') > 9) return NULL;
	unsigned mo = dg[0] * 10 + dg[1], d = dg[2] * 10 + dg[3];
	if (y < 1900 || y > 2155 || mo > 12 || d > 31) return NULL;
	if (!m->days && !(m->days = tl_calloc(m->mem, 256 * 13 * 32, sizeof *m->days))) return NULL;
	return &m->days[((y - 1900) * 13 + mo) * 32 + d];
}
