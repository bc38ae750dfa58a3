/* The context value: tally's home, the cache directory and the vocabulary read
 * once, for the library to use without globals. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "tally/ctx.h"

static int has_data(const char *dir)
{
	char p[PATH_MAX + 64];
	struct stat st;
	snprintf(p, sizeof p, "%s/data/country-aliases.tsv", dir);
	return stat(p, &st) == 0;
}

/* Walks up from code's directory: data/ beside it or two levels above (a build in
 * the source tree), share/tally beside an ancestor (an installed binary, one level
 * down from PREFIX, or module, three or four: lib/lua/5.4, lib/ARCH/lua/5.4). */
void tl_home_find(const char *code, const char *fallback, char *home, size_t n)
{
	const char *env = getenv("TALLY_HOME");
	char dir[PATH_MAX], share[PATH_MAX + 16], real[PATH_MAX];
	if (env && *env && strlen(env) < n) {
		snprintf(home, n, "%s", env);
		return;
	}
	if (code && strlen(code) < sizeof dir) {
		strcpy(dir, code);
		for (int up = 0; up < 5; up++) {
			char *slash = strrchr(dir, '/');
			if (slash == NULL || slash == dir)
				break;
			*slash = '\0';   /* dir: code's directory, then its parents */
			if (up > 0) {
				snprintf(share, sizeof share, "%s/share/tally", dir);
				if (has_data(share) && realpath(share, real) && strlen(real) < n) {
					strcpy(home, real);
					return;
				}
			}
			if (up < 3 && has_data(dir) && strlen(dir) < n) {
				strcpy(home, dir);
				return;
			}
		}
	}
	snprintf(home, n, "%s", fallback);
}

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
