/* tally import: newsletter issues and press releases to a draft of coded records.
 *
 * The coding is an importer plugin's (plugins/digest-import.lua by default), run
 * sandboxed like any plugin: this file checks the command line, lets the plugin
 * read the inputs and write beside the draft, runs it as `tally run` would, and
 * then loads the draft strictly, as `tally check` does, so a draft that would
 * not load is never taken for a good one. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/options.h"
#include "tally/ctx.h"
#include "tally/store.h"

static const char usage_import[] =
	"usage: tally import [--as digest|release] [--issue 2023Q2] FILE... -o DRAFT.csv [--merge REVIEWED.csv]\n";
static const char about_import[] =
	"Reads a Digest issue (PDF or plain text) or press releases (.txt: headline on the\n"
	"first line, then the body; .html) and proposes digest records for a person to\n"
	"review. Writes DRAFT.csv and beside it DRAFT.review.csv: for every coded cell the\n"
	"evidence and a confidence. Cells below the threshold are listed on stderr as\n"
	"\"to review\" with the file and line of the text that decided them.\n";

typedef struct import_args {
	const char *out, *merge, *as, *issue, *threshold, *plugin;
	char      **files;
	int         nfiles;
} import_args;

static int import_option(void *p, cli_key key, const char *name, const char *v)
{
	import_args *a = p;
	(void)name;
	switch (key) {
	case OPT_OUTPUT: a->out = v; break;
	case OPT_MERGE: a->merge = v; break;
	case OPT_AS: a->as = v; break;
	case OPT_ISSUE: a->issue = v; break;
	case OPT_THRESHOLD: a->threshold = v; break;
	case OPT_PLUGIN: a->plugin = v; break;
	default: break;   /* --help: the parser prints it */
	}
	return 0;
}

static int import_word(void *p, const char *w, int rest)
{
	import_args *a = p;
	(void)rest;
	a->files[a->nfiles++] = (char *)w;
	return 0;
}

static const cli_cmd import_cmd = {
	"import", CMD_IMPORT, usage_import, about_import, NULL, 0, import_option, import_word, NULL
};

static int exists(const char *path, const char *what)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
		return 1;
	fprintf(stderr, "tally import: cannot open %s %s: %s\n", what, path,
	        errno ? strerror(errno) : "not a regular file");
	return 0;
}

/* FILE.csv -> FILE.review.csv, malloc'ed. */
static char *review_path(const char *draft)
{
	size_t n = strlen(draft);
	char *r = malloc(n + 16);
	if (!r)
		return NULL;
	if (n > 4 && !strcmp(draft + n - 4, ".csv"))
		n -= 4;
	memcpy(r, draft, n);
	strcpy(r + n, ".review.csv");
	return r;
}

int cmd_import(int argc, char **argv)
{
	import_args a = {0};
	char **files = calloc((size_t)argc + 1, sizeof *files);
	char **rv = calloc(4 * (size_t)argc + 32, sizeof *rv);
	char *dir = NULL, *mreview = NULL, *oreview = NULL;
	char aliases[PATH_MAX + 32];
	const char *out, *merge, *as, *issue, *threshold, *plugin;
	int nfiles, rc = TL_EXIT_USAGE, n = 0;
	if (!files || !rv) {
		fprintf(stderr, "tally import: out of memory\n");
		goto out;
	}
	a.files = files;
	if ((rc = cli_parse(&import_cmd, &a, NULL, argc, argv)) != 0) {
		rc = rc < 0 ? TL_EXIT_OK : rc;
		goto out;
	}
	rc = TL_EXIT_USAGE;
	out = a.out, merge = a.merge, as = a.as, issue = a.issue, threshold = a.threshold;
	plugin = a.plugin ? a.plugin : "digest-import";
	nfiles = a.nfiles;
	if (!nfiles || !out) {
		cli_usage(&import_cmd, "%s; see tally import --help", !nfiles ? "no input file" : "-o DRAFT.csv is required");
		goto out;
	}
	if (as && strcmp(as, "digest") && strcmp(as, "release")) {
		cli_usage(&import_cmd, "--as takes digest or release, not '%s'", as);
		goto out;
	}
	if (issue) {
		tl_date from, to;
		if (tl_quarter_range(issue, &from, &to) < 0) {
			cli_usage(&import_cmd, "--issue takes YYYYQn or YYYY-Qn, not '%s'", issue);
			goto out;
		}
	}
	rc = TL_EXIT_DATA;
	for (int i = 0; i < nfiles; i++)
		if (!exists(files[i], "input"))
			goto out;
	if (merge && !exists(merge, "reviewed draft"))
		goto out;
	{
		char *copy = strdup(out);
		if (!copy || !(dir = strdup(dirname(copy)))) {
			free(copy);
			goto out;
		}
		free(copy);
	}
	if (!(oreview = review_path(out)) || (merge && !(mreview = review_path(merge))))
		goto out;

	/* the plugin runs as `tally run PLUGIN`, reading only what it was given */
	rv[n++] = "run";
	rv[n++] = (char *)plugin;
	rv[n++] = "--out";
	rv[n++] = dir;
	for (int i = 0; i < nfiles; i++) {
		rv[n++] = "--allow-read";
		rv[n++] = files[i];
	}
	if (merge) {
		rv[n++] = "--allow-read";
		rv[n++] = (char *)merge;
		if (access(mreview, R_OK) == 0) {
			rv[n++] = "--allow-read";
			rv[n++] = mreview;
		}
	}
	/* tally's own alias table, so that the plugin knows the names the loader knows */
	snprintf(aliases, sizeof aliases, "%s/data/country-aliases.tsv", cli_ctx()->home);
	if (access(aliases, R_OK) == 0) {
		rv[n++] = "--allow-read";
		rv[n++] = aliases;
		rv[n++] = "--aliases";
		rv[n++] = aliases;
	}
	rv[n++] = "--output";
	rv[n++] = (char *)out;
	rv[n++] = "--review";
	rv[n++] = oreview;
	if (merge) {
		rv[n++] = "--merge";
		rv[n++] = (char *)merge;
		rv[n++] = "--merge-review";
		rv[n++] = mreview;
	}
	if (as) { rv[n++] = "--as"; rv[n++] = (char *)as; }
	if (issue) { rv[n++] = "--issue"; rv[n++] = (char *)issue; }
	if (threshold) { rv[n++] = "--threshold"; rv[n++] = (char *)threshold; }
	rv[n++] = "--";
	for (int i = 0; i < nfiles; i++)
		rv[n++] = files[i];
	rv[n] = NULL;
	if ((rc = cli_run_importer(n, rv)) != TL_EXIT_OK)
		goto out;

	/* the draft must load as `tally check` loads it */
	tl_load_opts lo;
	tl_load_opts_init(&lo);
	tl_store *s = cli_load(out, &lo);
	if (!s) {
		fprintf(stderr, "tally import: the plugin %s wrote a draft that does not load (above)\n", plugin);
		rc = TL_EXIT_SCRIPT;
		goto out;
	}
	store_free(s);
	rc = TL_EXIT_OK;
out:
	free(files);
	free(rv);
	free(dir);
	free(mreview);
	free(oreview);
	return rc;
}
