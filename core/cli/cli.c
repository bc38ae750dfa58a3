/* Shared pieces of the command line: loading options, paths, the vocabulary. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"

static int usage_err(const char *fmt, const char *a)
{
	fprintf(stderr, "tally: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return -1;
}

/* --map ROLE=COL[,ROLE=COL...] */
static int parse_map(tl_load_opts *o, char *spec)
{
	for (char *tok = strtok(spec, ","); tok; tok = strtok(NULL, ",")) {
		char *eq = strchr(tok, '=');
		if (!eq || !eq[1]) return usage_err("--map takes ROLE=COLUMN, not '%s'", tok);
		*eq = 0;
		const char *col = eq + 1;
		if (!strcmp(tok, "date")) o->map_date = col;
		else if (!strcmp(tok, "country") || !strcmp(tok, "countries")) o->map_country = col;
		else if (!strcmp(tok, "dimension")) o->map_dimension = col;
		else if (!strcmp(tok, "year")) o->map_year = col;
		else if (!strcmp(tok, "month")) o->map_month = col;
		else if (!strcmp(tok, "day")) o->map_day = col;
		else return usage_err("--map: unknown role '%s' (date, country, dimension, year, month, day)", tok);
	}
	return 0;
}

int cli_load_option(tl_load_opts *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	int takes = !strcmp(a, "--map") || !strcmp(a, "--date-format") || !strcmp(a, "--na") ||
	            !strcmp(a, "--country-codes") || !strcmp(a, "--threads");
	if (!strcmp(a, "--skip-bad")) { o->skip_bad = 1; return 1; }
	if (!strcmp(a, "--no-cache")) { o->no_cache = 1; return 1; }
	if (!takes) return 0;
	if (!v) return usage_err("%s needs a value", a);
	(*i)++;
	if (!strcmp(a, "--map")) return parse_map(o, argv[*i]) < 0 ? -1 : 1;
	if (!strcmp(a, "--date-format")) o->date_format = v;
	else if (!strcmp(a, "--na")) {
		if (o->nna == TL_MAX_NA) return usage_err("too many --na tokens (at most %s)", "16");
		o->na[o->nna++] = v;
	} else if (!strcmp(a, "--country-codes")) {
		int m = vocab_ccmode(v);
		if (m < 0) return usage_err("--country-codes takes iso2, iso3, fips, name or raw, not '%s'", v);
		o->country_codes = (tl_ccmode)m;
	} else if (!strcmp(a, "--threads")) {
		o->threads = atoi(v);
		if (o->threads < 1) return usage_err("--threads takes a positive number, not '%s'", v);
	}
	return 1;
}

static int has_data(const char *dir)
{
	char p[PATH_MAX + 64];
	struct stat st;
	snprintf(p, sizeof p, "%s/data/country-aliases.tsv", dir);
	return stat(p, &st) == 0;
}

/* Looks for data/ beside the binary and up to two levels above it (the source
 * tree, build/san/), then in the installed share directory. */
static const char *cli_home(void)
{
	static char home[PATH_MAX];
	char exe[PATH_MAX];
	const char *env = getenv("TALLY_HOME");
	if (home[0]) return home;
	if (env && *env && strlen(env) < sizeof home) { strcpy(home, env); return home; }
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = 0;
		for (int up = 0; up < 3; up++) {
			char *slash = strrchr(exe, '/');
			if (!slash) break;
			*slash = 0;
			if (has_data(exe)) { memcpy(home, exe, strlen(exe) + 1); return home; }
			if (!up) {
				char share[PATH_MAX + 16];
				snprintf(share, sizeof share, "%s/../share/tally", exe);
				if (has_data(share) && realpath(share, home)) return home;
			}
		}
	}
	snprintf(home, sizeof home, "%s", TALLY_SHAREDIR);
	return home;
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
