/* The context: process-wide things the library needs (tally's home, the cache
 * directory, the country vocabulary), handed down by whoever drives it (the tally
 * program, the Lua module's loader) rather than read from globals below. */
#ifndef TALLY_CTX_H
#define TALLY_CTX_H

#include <limits.h>
#include "tally/error.h"
#include "tally/labels.h"
#include "tally/mem.h"
#include "tally/vocab.h"

typedef struct tl_ctx {
	char      home[PATH_MAX];       /* tally's home: data/ (vocabularies) and plugins/ */
	char      code[PATH_MAX];       /* the file holding this code: the tally binary or tally.so
	                                   (the cache keys on it: another build may load differently) */
	char      cache_dir[PATH_MAX];  /* the columnar cache; "" = no cache */
	tl_vocab *vocab;                /* the country vocabulary, read on first use */
	tl_error  vocab_err;            /* why it could not be read */
	int       vocab_tried;
	tl_labels *labels;              /* display labels of fields, read on first use */
	int       labels_tried;
	tl_mem    mem;                  /* what loads allocate, counted and capped (mem.cap) */
} tl_ctx;

/* A context for home. The cache directory is TALLY_CACHE_DIR, else
 * $XDG_CACHE_HOME/tally, else ~/.cache/tally; none when none of them is set. */
void tl_ctx_init(tl_ctx *c, const char *home);
void tl_ctx_free(tl_ctx *c);   /* frees what c holds; c itself is the caller's */

/* tally's home for the program or module at path code: TALLY_HOME when set, else
 * the first directory holding data/ at code's directory or up to two levels above
 * it (the source tree, build/san/), else share/tally beside an ancestor of it
 * ($(PREFIX)/bin/tally and $(PREFIX)/lib/lua/5.4/tally.so both give
 * $(PREFIX)/share/tally), else fallback. Writes home (n bytes). */
void tl_home_find(const char *code, const char *fallback, char *home, size_t n);

/* The country vocabulary of home/data, read once; NULL with err (which may be
 * NULL) when it cannot be read. */
const tl_vocab *tl_ctx_vocab(tl_ctx *c, tl_error *err);

/* The display labels of home/data/labels.tsv, read once; NULL with err when the
 * file is malformed (labels_field then falls back on field names). */
const tl_labels *tl_ctx_labels(tl_ctx *c, tl_error *err);

#endif
