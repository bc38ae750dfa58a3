/* What the readers of the import room share: a growing text buffer. */
#ifndef TALLY_IMPORT_INT_H
#define TALLY_IMPORT_INT_H

#include <stddef.h>

/* A growing output buffer, always NUL-terminated; oom is sticky. */
typedef struct obuf { char *p; size_t n, cap; int oom; } obuf;

void ob_add(obuf *b, const char *s, size_t n);

#endif
