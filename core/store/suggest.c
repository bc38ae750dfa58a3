/* "Did you mean": edit distance over code points and the rule of how far a
 * suggestion may be. The country vocabulary (core/load/vocab.c) folds names its own
 * way and then uses the same distance and limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/suggest.h"

size_t tl_suggest_limit(size_t len)
{
	size_t limit = len / 4 > 2 ? len / 4 : 2;
	if (limit * 2 >= len)
		limit = len > 0 ? (len - 1) / 2 : 0;
	return limit;
}

/* Gives up early, returning limit + 1, once every cell of two rows running exceeds
 * limit: a transposition may step over one row, never over two. */
size_t tl_edit_distance(const unsigned *a, size_t na, const unsigned *b, size_t nb, size_t limit)
{
	size_t rows[3][TL_SUGGEST_MAX + 1], *pp = rows[0], *pr = rows[1], *cr = rows[2], *t;
	size_t prevbest = 0;

	if (na > TL_SUGGEST_MAX || nb > TL_SUGGEST_MAX)
		return limit + 1;
	for (size_t j = 0; j <= nb; j++)
		pr[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t best;
		cr[0] = best = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = a[i - 1] != b[j - 1], d = pr[j - 1] + cost;
			if (pr[j] + 1 < d)
				d = pr[j] + 1;
			if (cr[j - 1] + 1 < d)
				d = cr[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
				d = pp[j - 2] + 1;
			cr[j] = d;
			if (d < best)
				best = d;
		}
		if (best > limit && prevbest > limit)
			return limit + 1;
		prevbest = best;
		t = pp, pp = pr, pr = cr, cr = t;
	}
	return pr[nb];
}

/* s as code points, ASCII letters lowered; (size_t)-1 when longer than
 * TL_SUGGEST_MAX. A byte that starts no valid sequence stands for itself. */
static size_t codepoints(const char *s, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	while (*p) {
		unsigned c = *p++;
		if (k == TL_SUGGEST_MAX)
			return (size_t)-1;
		if (c >= 0xC0) {   /* a lead byte: take its continuation bytes */
			int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
			c &= 0x3F >> more;
			while (more-- && (*p & 0xC0) == 0x80)
				c = c << 6 | (*p++ & 0x3F);
		} else if (c >= 'A' && c <= 'Z') {
			c += 'a' - 'A';
		}
		cp[k++] = c;
	}
	return k;
}

const char *tl_suggest(const char *s, const char *const *cands, size_t n)
{
	unsigned a[TL_SUGGEST_MAX], b[TL_SUGGEST_MAX];
	size_t na, limit;
	const char *best = NULL;

	if (!s || (na = codepoints(s, a)) == (size_t)-1 || na == 0)
		return NULL;
	limit = tl_suggest_limit(na);
	for (size_t i = 0; i < n; i++) {
		size_t nb, d;
		if (!cands[i] || (nb = codepoints(cands[i], b)) == (size_t)-1)
			continue;
		if ((nb > na ? nb - na : na - nb) > limit)
			continue;
		if ((d = tl_edit_distance(a, na, b, nb, limit)) <= limit) {
			best = cands[i];
			if (d == 0)
				break;
			limit = d - 1;   /* from now on only strictly closer names count */
		}
	}
	return best;
}

size_t tl_nearest(const char *s, const char *const *cands, size_t n, const char **out, size_t k)
{
	unsigned a[TL_SUGGEST_MAX], b[TL_SUGGEST_MAX];
	size_t dist[16], na, got = 0;

	if (k > sizeof dist / sizeof *dist)
		k = sizeof dist / sizeof *dist;
	if (!s || (na = codepoints(s, a)) == (size_t)-1)
		na = 0;
	for (size_t i = 0; i < n && k; i++) {
		size_t nb, d, j;
		if (!cands[i] || (nb = codepoints(cands[i], b)) == (size_t)-1)
			continue;
		/* only a distance that would enter the list needs computing in full */
		d = tl_edit_distance(a, na, b, nb, got == k ? dist[k - 1] : TL_SUGGEST_MAX);
		if (got == k && d >= dist[k - 1])
			continue;
		j = got < k ? got++ : k - 1;
		for (; j > 0 && dist[j - 1] > d; j--) {
			dist[j] = dist[j - 1];
			out[j] = out[j - 1];
		}
		dist[j] = d;
		out[j] = cands[i];
	}
	return got;
}

char *tl_did_you_mean(char *buf, size_t size, const char *s, const char *const *cands, size_t n)
{
	const char *near = tl_suggest(s, cands, n);
	if (size)
		buf[0] = '\0';
	if (near)
		snprintf(buf, size, " (did you mean '%s'?)", near);
	return buf;
}
