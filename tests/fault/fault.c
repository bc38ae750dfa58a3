/* Faults injected under LD_PRELOAD, for tests of what tally does when the
 * system fails it. Each is off unless its variable is set:
 *   FAULT_PTHREAD_CREATE=1   pthread_create fails with EAGAIN
 *   FAULT_TRUNCATE_CSV=N     right after a file named *.csv is mapped, it is
 *                            truncated to N bytes (as if another program did it)
 *   FAULT_REALLOC_LIMIT=N    realloc of N bytes or more fails (a column that
 *                            outgrows its memory, or its 4 GiB, at a small size)
 *   FAULT_MALLOC_LIMIT=N     malloc of N bytes or more fails (a long text's copy)
 * Built plain (make fault); a sanitizer binary needs
 * ASAN_OPTIONS=verify_asan_link_order=0 to accept it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	if (getenv("FAULT_PTHREAD_CREATE")) return EAGAIN;
	if (!real) *(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	return real(t, a, f, arg);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	static int done;
	const char *at = getenv("FAULT_TRUNCATE_CSV");
	char link[64], name[4096];
	ssize_t n;
	if (!real) *(void **)&real = dlsym(RTLD_NEXT, "mmap");
	void *p = real(addr, len, prot, flags, fd, off);
	if (!at || done || fd < 0 || p == MAP_FAILED) return p;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if ((n = readlink(link, name, sizeof name - 1)) < 4) return p;
	name[n] = 0;
	if (strcmp(name + n - 4, ".csv") != 0) return p;
	done = 1;
	if (truncate(name, atoll(at)) != 0) perror("fault: truncate");
	return p;
}

void *malloc(size_t n)
{
	static void *(*real)(size_t);
	const char *limit = getenv("FAULT_MALLOC_LIMIT");
	if (limit && n >= (size_t)atoll(limit)) { errno = ENOMEM; return NULL; }
	if (!real) *(void **)&real = dlsym(RTLD_NEXT, "malloc");
	return real(n);
}

void *realloc(void *p, size_t n)
{
	static void *(*real)(void *, size_t);
	const char *limit = getenv("FAULT_REALLOC_LIMIT");
	if (limit && n >= (size_t)atoll(limit)) { errno = ENOMEM; return NULL; }
	if (!real) *(void **)&real = dlsym(RTLD_NEXT, "realloc");
	return real(p, n);
}
