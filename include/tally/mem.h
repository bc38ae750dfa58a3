/* An accounting allocator: what a load allocates (store columns, dictionaries,
 * the loader's memos and buffers) is counted as it is allocated, and a request
 * that would pass the cap is refused before it is made. One lives in the context
 * (tl_ctx); a store made in it keeps a pointer to it and gives its bytes back
 * when freed. A NULL tl_mem is plain malloc: nothing counted, nothing refused. */
#ifndef TALLY_MEM_H
#define TALLY_MEM_H

#include <stddef.h>

typedef struct tl_mem {
	size_t cap;       /* bytes that may be held through it; 0 = no cap */
	size_t used;      /* bytes held now (updated atomically: a load's two threads share it) */
	size_t peak;      /* most bytes held at once */
	unsigned long refusals;   /* requests refused so far: a load compares it before and after */
	char   limit[64]; /* how the cap is named in messages, e.g. "--max-memory 16M" */
} tl_mem;

void  *tl_malloc(tl_mem *m, size_t n);
void  *tl_calloc(tl_mem *m, size_t k, size_t n);
void  *tl_realloc(tl_mem *m, void *p, size_t n);   /* n == 0 frees, as realloc */
char  *tl_strdup(tl_mem *m, const char *s);
void   tl_free(tl_mem *m, void *p);
/* For memory another allocator makes on the load's behalf (libcsv's field
 * buffer): takes n more bytes (0, or -1 refused past the cap) or gives n back. */
int    tl_mem_take(tl_mem *m, size_t n);
void   tl_mem_give(tl_mem *m, size_t n);
/* "64M" -> bytes (K, M, G: powers of 1024; a trailing B allowed); 0 when invalid. */
size_t tl_parse_size(const char *s);

#endif
