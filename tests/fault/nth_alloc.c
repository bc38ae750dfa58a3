/* Allocation-failure injection for the sanitizer build: the Nth allocation tally's
 * own code makes fails.
 *
 * The sanitizer build links tally's objects with -Wl,--wrap for malloc, calloc,
 * realloc, strdup and strndup, so every call from core/ (the store, the loader
 * and libcsv through its realloc hook, counts and cross-tabs, the cache, the
 * lua_Alloc every Lua allocation goes through) comes here first. Libraries keep
 * their own allocators: glib aborts on failure by design and is out of scope.
 *
 *   TALLY_FAIL_ALLOC=N        the Nth allocation (from 1) returns NULL, once
 *   TALLY_COUNT_ALLOC=FILE    at exit, writes how many allocations were made
 *   TALLY_FAIL_TRACE=1        prints the stack of the allocation refused
 *
 * Unset, both cost one branch per allocation. tests/cli/allocfail.sh runs a
 * short slice of N in make test; tests/fault/sweep runs them all (make faults). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

void __sanitizer_print_stack_trace(void);

static long fail_at = -1;   /* -1: not read yet; 0: never */
static long made;           /* allocations so far (the loader's threads share it) */
static const char *count_file;

static void write_count(void)
{
	FILE *f = fopen(count_file, "w");
	if (f) {
		fprintf(f, "%ld\n", __atomic_load_n(&made, __ATOMIC_RELAXED));
		fclose(f);
	}
}

/* Whether this allocation is the one to refuse. */
static int refuse(void)
{
	if (fail_at < 0) {
		const char *n = getenv("TALLY_FAIL_ALLOC");
		count_file = getenv("TALLY_COUNT_ALLOC");
		if (count_file && *count_file)
			atexit(write_count);
		fail_at = n ? atol(n) : 0;
		if (fail_at < 0)
			fail_at = 0;
	}
	if (fail_at == 0 && !count_file)
		return 0;
	if (__atomic_add_fetch(&made, 1, __ATOMIC_RELAXED) != fail_at)
		return 0;
	if (getenv("TALLY_FAIL_TRACE"))
		__sanitizer_print_stack_trace();
	errno = ENOMEM;   /* as malloc says it */
	return 1;
}

void *__wrap_malloc(size_t n)
{
	return refuse() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
	return refuse() ? NULL : __real_calloc(k, n);
}

/* Shrinking (or freeing, n == 0) never fails: Lua's allocator contract needs it. */
void *__wrap_realloc(void *p, size_t n)
{
	if (n == 0 || !refuse())
		return __real_realloc(p, n);
	return NULL;
}

char *__wrap_strdup(const char *s)
{
	return refuse() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return refuse() ? NULL : __real_strndup(s, n);
}
