/* The accounting allocator (include/tally/mem.h). Block sizes come from
 * malloc_usable_size, so a free needs no size from its caller and the count is
 * of what the heap really handed out. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "tally/mem.h"

/* Takes n bytes, or none when that would pass the cap. Added first and taken
 * back when over, so two threads cannot both slip under the cap. */
int tl_mem_take(tl_mem *m, size_t n)
{
	size_t now, peak;
	if (!m || n == 0) return 0;
	now = __atomic_add_fetch(&m->used, n, __ATOMIC_RELAXED);
	if (m->cap && (now > m->cap || now < n)) {
		__atomic_sub_fetch(&m->used, n, __ATOMIC_RELAXED);
		__atomic_add_fetch(&m->refusals, 1, __ATOMIC_RELAXED);
		errno = ENOMEM;
		return -1;
	}
	peak = __atomic_load_n(&m->peak, __ATOMIC_RELAXED);
	while (now > peak && !__atomic_compare_exchange_n(&m->peak, &peak, now, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return 0;
}

void tl_mem_give(tl_mem *m, size_t n)
{
	if (m && n) __atomic_sub_fetch(&m->used, n, __ATOMIC_RELAXED);
}

/* The heap rounds a request up: the difference is charged once the block
 * exists (it is at most a few bytes a block, and never refused). */
static void settle(tl_mem *m, size_t asked, size_t got)
{
	if (got > asked) __atomic_add_fetch(&m->used, got - asked, __ATOMIC_RELAXED);
	else if (got < asked) __atomic_sub_fetch(&m->used, asked - got, __ATOMIC_RELAXED);
}

void *tl_malloc(tl_mem *m, size_t n)
{
	void *p;
	if (!m) return malloc(n);
	if (tl_mem_take(m, n) < 0) return NULL;
	if (!(p = malloc(n))) { tl_mem_give(m, n); return NULL; }
	settle(m, n, malloc_usable_size(p));
	return p;
}

void *tl_calloc(tl_mem *m, size_t k, size_t n)
{
	void *p;
	if (!m) return calloc(k, n);
	if (n && k > (size_t)-1 / n) return NULL;
	if (tl_mem_take(m, k * n) < 0) return NULL;
	if (!(p = calloc(k, n))) { tl_mem_give(m, k * n); return NULL; }
	settle(m, k * n, malloc_usable_size(p));
	return p;
}

/* Growing is charged before the block is made; a failed realloc leaves p and
 * its charge as they were. */
void *tl_realloc(tl_mem *m, void *p, size_t n)
{
	size_t old, more;
	void *q;
	if (!m) return realloc(p, n);
	if (n == 0) { tl_free(m, p); return NULL; }
	old = p ? malloc_usable_size(p) : 0;
	more = n > old ? n - old : 0;
	if (tl_mem_take(m, more) < 0) return NULL;
	if (!(q = realloc(p, n))) { tl_mem_give(m, more); return NULL; }
	settle(m, old + more, malloc_usable_size(q));
	return q;
}

char *tl_strdup(tl_mem *m, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = tl_malloc(m, n);
	if (d) memcpy(d, s, n);
	return d;
}

void tl_free(tl_mem *m, void *p)
{
	if (m && p) tl_mem_give(m, malloc_usable_size(p));
	free(p);
}

size_t tl_parse_size(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mul = 1;
	if (end == s || v <= 0)
		return 0;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case '\0': break;
	default: return 0;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v * mul > 1e15)
		return 0;
	return (size_t)(v * mul);
}
