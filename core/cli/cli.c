/* Shared pieces of the command line: tally's home, the context, loading files. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "tally/lang.h"

/* tally's home, found from the binary's own location (tl_home_find). */
static const char *cli_home(void)
{
	static char home[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n;
	if (home[0])
		return home;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = '\0';
	tl_home_find(exe, TALLY_SHAREDIR, home, sizeof home);
	return home;
}

/* The catalogs: build/locale in the source tree (make compiles po/ there), else
 * share/locale beside the installed share/tally. */
int cli_lang(const char *code)
{
	char dir[PATH_MAX + 32];
	struct stat st;
	tl_error err;
	const char *home = cli_home();
	snprintf(dir, sizeof dir, "%s/build/locale", home);
	if (stat(dir, &st) != 0)
		snprintf(dir, sizeof dir, "%s/../locale", home);
	tl_error_clear(&err);
	if (tl_lang_set(code, dir, &err) != 0) {
		fprintf(stderr, "tally: %s\n", err.msg);
		return TL_EXIT_USAGE;
	}
	return 0;
}

static tl_ctx ctx;

static void ctx_release(void)
{
	tl_ctx_free(&ctx);
}

tl_ctx *cli_ctx(void)
{
	static int made;
	if (!made) {
		made = 1;
		tl_ctx_init(&ctx, cli_home());
		atexit(ctx_release);
	}
	return &ctx;
}

tl_store *cli_load(const char *path, tl_load_opts *opts)
{
	tl_error err;
	char buf[1400];
	tl_error_clear(&err);
	if (!opts->ctx) opts->ctx = cli_ctx();
	tl_store *s = tl_load_cached(path, opts, &err);
	if (!s) fprintf(stderr, "tally: %s\n", tl_error_str(&err, buf, sizeof buf));
	return s;
}

tl_store *cli_load_all(char **files, int n, tl_load_opts *opts)
{
	tl_store *all = NULL;
	for (int i = 0; i < n; i++) {
		tl_store *s = cli_load(files[i], opts);
		if (!s) {
			store_free(all);
			return NULL;
		}
		if (!all) {
			all = s;
			continue;
		}
		tl_error err;
		char buf[1400];
		tl_error_clear(&err);
		int rc = store_absorb(all, s, &err);
		store_free(s);
		if (rc < 0) {
			fprintf(stderr, "tally: %s\n", tl_error_str(&err, buf, sizeof buf));
			store_free(all);
			return NULL;
		}
	}
	return all;
}

int cli_filters(const char *const *where, int nwhere, tl_date from, tl_date to,
                tl_filter *f, const char **vals, size_t *nf)
{
	size_t n = 0, nv = 0;
	*nf = 0;
	for (int i = 0; i < nwhere; i++) {   /* the fields, in first-seen order */
		const char *w = where[i];
		size_t fl = (size_t)(strchr(w, '=') - w), j;
		for (j = 0; j < n; j++)
			if (strlen(f[j].field) == fl && !strncmp(f[j].field, w, fl)) break;
		if (j == n) {
			memset(&f[n], 0, sizeof f[n]);   /* no date range: callers need not clear f */
			if (!(f[n].field = strndup(w, fl))) { *nf = n; return -1; }
			n++;
		}
	}
	for (size_t j = 0; j < n; j++) {        /* then each field's values (no date range) */
		f[j].values = vals + nv;
		f[j].from = f[j].to = 0;
		for (int i = 0; i < nwhere; i++) {
			const char *w = where[i], *eq = strchr(w, '=');
			if ((size_t)(eq - w) == strlen(f[j].field) && !strncmp(f[j].field, w, (size_t)(eq - w)))
				vals[nv++] = eq + 1;
		}
		vals[nv++] = NULL;
	}
	if (from || to) {
		memset(&f[n], 0, sizeof f[n]);
		f[n].field = NULL;
		f[n].values = NULL;
		f[n].from = from;
		f[n].to = to;
		n++;
	}
	*nf = n;
	return 0;
}

void cli_filters_free(tl_filter *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++) free((char *)f[i].field);
}
