/* The context value: tally's home, the cache directory and the vocabulary read
 * once, for the library to use without globals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tally/ctx.h"

/* TALLY_CACHE_DIR, else $XDG_CACHE_HOME/tally, else ~/.cache/tally. */
static void cache_root(char *buf, size_t n)
{
	const char *e = getenv("TALLY_CACHE_DIR"), *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int k = -1;
	if (e && *e) k = snprintf(buf, n, "%s", e);
	else if (x && *x) k = snprintf(buf, n, "%s/tally", x);
	else if (home && *home) k = snprintf(buf, n, "%s/.cache/tally", home);
	if (k < 0 || (size_t)k >= n) buf[0] = 0;   /* none, or too long to use */
}

void tl_ctx_init(tl_ctx *c, const char *home)
{
	memset(c, 0, sizeof *c);
	if (home && strlen(home) < sizeof c->home) strcpy(c->home, home);
	cache_root(c->cache_dir, sizeof c->cache_dir);
}

void tl_ctx_free(tl_ctx *c)
{
	if (!c) return;
	vocab_free(c->vocab);
	c->vocab = NULL;
	c->vocab_tried = 0;
	labels_free(c->labels);
	c->labels = NULL;
	c->labels_tried = 0;
}

const tl_vocab *tl_ctx_vocab(tl_ctx *c, tl_error *err)
{
	if (!c->vocab_tried) {
		char dir[PATH_MAX + 8];
		c->vocab_tried = 1;
		snprintf(dir, sizeof dir, "%s/data", c->home);
		c->vocab = vocab_open(dir, &c->vocab_err);
	}
	if (!c->vocab && err) *err = c->vocab_err;
	return c->vocab;
}

const tl_labels *tl_ctx_labels(tl_ctx *c, tl_error *err)
{
	tl_error e;
	if (!c->labels_tried) {
		char dir[PATH_MAX + 8];
		c->labels_tried = 1;
		snprintf(dir, sizeof dir, "%s/data", c->home);
		memset(&e, 0, sizeof e);
		c->labels = labels_open(dir, err ? err : &e);
	}
	return c->labels;
}
