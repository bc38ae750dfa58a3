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
#include "tally/ctx.h"
#include "tally/store.h"

static const char usage_import[] =
	"usage: tally import [--as digest|release] [--issue 2023Q2] FILE... -o DRAFT.csv [--merge REVIEWED.csv]\n"
	"\n"
	"Reads a Digest issue (PDF or plain text) or press releases (.txt: headline on the\n"
	"first line, then the body; .html) and proposes digest records for a person to\n"
	"review. Writes DRAFT.csv and beside it DRAFT.review.csv: for every coded cell the\n"
	"evidence and a confidence. Cells below the threshold are listed on stderr as\n"
	"\"to review\" with the file and line of the text that decided them.\n"
	"\n"
	"  -o, --output FILE    the draft (required); FILE.review.csv is written beside it\n"
	"  --as digest|release  a whole issue, or one item per file (default: told from the text)\n"
	"  --issue 2023Q2       the issue's quarter: ids, and the year of dates given without one\n"
	"  --merge FILE         keep every cell a person changed in FILE (a reviewed draft): a cell\n"
	"                       is a person's when it differs from what FILE.review.csv recorded\n"
	"  --threshold X        confidence below which a cell is to review (default 0.6)\n"
	"  --plugin NAME        the importer plugin (default digest-import)\n";

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
	const char *out = NULL, *merge = NULL, *as = NULL, *issue = NULL, *threshold = NULL;
	const char *plugin = "digest-import";
	char **files = calloc((size_t)argc + 1, sizeof *files);
	char **rv = calloc(4 * (size_t)argc + 32, sizeof *rv);
	char *dir = NULL, *mreview = NULL, *oreview = NULL;
	char aliases[PATH_MAX + 32];
	int nfiles = 0, rc = TL_EXIT_USAGE, n = 0;
	if (!files || !rv) {
		fprintf(stderr, "tally import: out of memory\n");
		goto out;
	}
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			fputs(usage_import, stdout);
			rc = TL_EXIT_OK;
			goto out;
		}
		int takes = !strcmp(o, "-o") || !strcmp(o, "--output") || !strcmp(o, "--merge") ||
		            !strcmp(o, "--as") || !strcmp(o, "--issue") || !strcmp(o, "--threshold") ||
		            !strcmp(o, "--plugin");
		if (takes && !v) {
			fprintf(stderr, "tally import: %s needs a value; see tally import --help\n", o);
			goto out;
		}
		if (!strcmp(o, "-o") || !strcmp(o, "--output")) out = argv[++i];
		else if (!strcmp(o, "--merge")) merge = argv[++i];
		else if (!strcmp(o, "--as")) as = argv[++i];
		else if (!strcmp(o, "--issue")) issue = argv[++i];
		else if (!strcmp(o, "--threshold")) threshold = argv[++i];
		else if (!strcmp(o, "--plugin")) plugin = argv[++i];
		else if (o[0] == '-' && o[1]) {
			fprintf(stderr, "tally import: unknown option '%s'; see tally import --help\n", o);
			goto out;
		} else files[nfiles++] = argv[i];
	}
	if (!nfiles || !out) {
		fprintf(stderr, "tally import: %s; see tally import --help\n",
		        !nfiles ? "no input file" : "-o DRAFT.csv is required");
		goto out;
	}
	if (as && strcmp(as, "digest") && strcmp(as, "release")) {
		fprintf(stderr, "tally import: --as takes digest or release, not '%s'\n", as);
		goto out;
	}
	if (issue) {
		tl_date from, to;
		if (tl_quarter_range(issue, &from, &to) < 0) {
			fprintf(stderr, "tally import: --issue takes YYYYQn or YYYY-Qn, not '%s'\n", issue);
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
	if ((rc = cmd_run(n, rv)) != TL_EXIT_OK)
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
