/* The header and what each column is.
 *
 * The header record is read with libcsv a byte at a time, so that the body
 * starts right after its terminator, whatever it is. Its names decide each
 * column's type and role: the digest schema by name, or the roles --map gives;
 * columns a count does not need are not kept (opts->only). The load options
 * that say so are set up here too. */
#include <stdlib.h>
#include <string.h>
#include <csv.h>
#include "tally/load.h"
#include "load/load_int.h"

void tl_load_opts_init(tl_load_opts *o)
{
	const char *scanner = getenv("TALLY_SCANNER");
	memset(o, 0, sizeof *o);
	o->country_codes = TL_CC_NAME;
	o->no_scanner = scanner && strcmp(scanner, "off") == 0;
}

int tl_load_map(tl_load_opts *o, const char *role, const char *col)
{
	if (!strcmp(role, "date")) o->map_date = col;
	else if (!strcmp(role, "country") || !strcmp(role, "countries")) o->map_country = col;
	else if (!strcmp(role, "dimension")) o->map_dimension = col;
	else if (!strcmp(role, "year")) o->map_year = col;
	else if (!strcmp(role, "month")) o->map_month = col;
	else if (!strcmp(role, "day")) o->map_day = col;
	else return -1;
	return 0;
}

int tl_load_mapspec(tl_load_opts *o, char *spec, tl_error *err)
{
	char *tok = spec;
	while (*tok) {
		size_t n = strcspn(tok, ",");
		char *eq = memchr(tok, '=', n), *next = tok + n + (tok[n] == ',');
		tok[n] = 0;
		if (n == 0) {   /* "a=b,,c=d": an empty part says nothing */
			tok = next;
			continue;
		}
		if (!eq || eq == tok || !eq[1])
			return tl_fail(err, NULL, 0, 0, "takes ROLE=COLUMN, not '%s'", tok);
		*eq = 0;
		if (tl_load_map(o, tok, eq + 1) < 0)
			return tl_fail(err, NULL, 0, 0, "unknown role '%s' (date, country, dimension, year, month, day)", tok);
		tok = next;
	}
	return 0;
}

/* ------------------------------------------------------------------ schema */

/* The digest schema: columns recognised by header name. */
static const struct { const char *name; tl_coltype type; int role; } digest_schema[] = {
	{"id", TL_TEXT, -1},
	{"date", TL_DATE, TL_ROLE_DATE},
	{"title", TL_TEXT, -1},
	{"dimension", TL_CAT, TL_ROLE_DIMENSION},
	{"countries", TL_LIST, TL_ROLE_COUNTRY},
	{"organizations", TL_LIST, -1},
	{"event_type", TL_CAT, -1},
	{"format", TL_CAT, -1},
	{"lead", TL_CAT, -1},
	{"participants", TL_INT, -1},
	{"kind", TL_CAT, -1},
};

static int is_role_name(const char *name, const char *const *only)
{
	for (; *only; only++)
		if (strcmp(*only, name) == 0) return 1;
	return 0;
}

static int has_name(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0) return 1;
	return 0;
}

/* Every name is there once and not empty. Names are interned in header order,
 * so a name's code is the first column that had it: a hash lookup each, since a
 * pairwise check took 24 s on a header of 100k columns. */
static int header_unique(char **names, size_t n, const char *path, tl_error *err)
{
	tl_dict *seen = dict_new();
	int rc = 0;
	if (!seen) return tl_fail(err, path, 1, 0, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		uint32_t j = names[i][0] ? dict_intern(seen, names[i], strlen(names[i])) : 0;
		if (!names[i][0]) rc = tl_fail(err, path, 1, (long)i + 1, "empty column name");
		else if (j == TL_NA) rc = tl_fail(err, path, 1, 0, "out of memory");
		else if (seen->n != i + 1)   /* not new: j is the earlier column */
			rc = tl_fail(err, path, 1, (long)i + 1, "duplicate column name '%s' (also column %u)", names[i], j + 1);
	}
	dict_free(seen);
	return rc;
}

/* Decides each header column's type and role. A column named by --map for a role
 * takes that role; otherwise the digest schema names apply when no --map names a
 * column for the same role. Columns left out by opts->only are skipped. */
int schema_build(tl_schema *sc, char **names, size_t n, const tl_load_opts *o,
                 const char *path, tl_error *err)
{
	const char *mapped[TL_NROLES] = {o->map_date, o->map_country, o->map_dimension};
	const char *parts[3] = {o->map_year, o->map_month, o->map_day};
	static const char *role_words[TL_NROLES] = {"date", "country", "dimension"};

	memset(sc, 0, sizeof *sc);
	sc->ncsv = n;
	sc->date_col = -1;
	for (int p = 0; p < 3; p++) sc->part_csv[p] = -1;
	if (!(sc->csv = calloc(n, sizeof *sc->csv))) return tl_fail(err, path, 1, 0, "out of memory");

	if (header_unique(names, n, path, err) < 0) return -1;
	for (int r = 0; r < TL_NROLES; r++)
		if (mapped[r] && !has_name(names, n, mapped[r]))
			goto missing_map;
	for (int p = 0; p < 3; p++) {
		if (!parts[p]) continue;
		for (size_t i = 0; i < n; i++)
			if (strcmp(names[i], parts[p]) == 0) sc->part_csv[p] = (int)i;
		if (sc->part_csv[p] < 0)
			return tl_fail(err, path, 1, 0, "--map names column '%s', which the header does not have", parts[p]);
	}
	if ((parts[1] || parts[2]) && !parts[0])
		return tl_fail(err, path, 1, 0, "split dates need --map year=COL (month and day are optional)");

	for (size_t i = 0; i < n; i++) {
		tl_colspec *cs = &sc->csv[i];
		cs->type = TL_CAT;
		cs->role = -1;
		for (size_t k = 0; k < sizeof digest_schema / sizeof *digest_schema; k++) {
			if (strcmp(names[i], digest_schema[k].name)) continue;
			int role = digest_schema[k].role;
			if (role >= 0 && (mapped[role] || (role == TL_ROLE_DATE && parts[0]))) break;
			cs->type = digest_schema[k].type;
			cs->role = role;
		}
		for (int r = 0; r < TL_NROLES; r++) {
			if (!mapped[r] || strcmp(mapped[r], names[i])) continue;
			cs->role = r;
			cs->type = r == TL_ROLE_DATE ? TL_DATE : r == TL_ROLE_COUNTRY ? TL_LIST : TL_CAT;
		}
		if (cs->role == TL_ROLE_COUNTRY && o->country_codes != TL_CC_NAME && o->country_codes != TL_CC_RAW && mapped[TL_ROLE_COUNTRY])
			cs->type = TL_CAT;   /* a code column holds one code a cell */
		cs->keep = !o->only || is_role_name(names[i], o->only) ||
		           (cs->role >= 0 && is_role_name(role_words[cs->role], o->only)) ||
		           (cs->role == TL_ROLE_DATE && (is_role_name("month", o->only) ||
		            is_role_name("quarter", o->only) || is_role_name("year", o->only)));
	}
	/* split date parts make a synthetic date column, kept when the date is wanted */
	if (parts[0]) {
		sc->date_from_parts = 1;
		sc->date_keep = !o->only || is_role_name("date", o->only) || is_role_name("month", o->only) ||
		                is_role_name("quarter", o->only) || is_role_name("year", o->only);
		for (int p = 0; p < 3; p++)
			if (sc->part_csv[p] >= 0) sc->csv[sc->part_csv[p]].part = p + 1;
	}
	return 0;
missing_map:
	for (int r = 0; r < TL_NROLES; r++)
		if (mapped[r] && !has_name(names, n, mapped[r]))
			return tl_fail(err, path, 1, 0, "--map %s=%s: the header has no column '%s'", role_words[r], mapped[r], mapped[r]);
	return -1;
}

void schema_free(tl_schema *sc)
{
	free(sc->csv);
}

/* Adds the kept columns to an empty store in header order; the synthetic date
 * column (from split parts) comes last. */
int schema_columns(const tl_schema *sc, char **names, tl_store *s)
{
	for (size_t i = 0; i < sc->ncsv; i++) {
		tl_colspec *cs = &sc->csv[i];
		cs->col = -1;
		if (!cs->keep) continue;
		if ((cs->col = store_add_column(s, names[i], cs->type)) < 0) return -1;
		if (cs->role >= 0) s->role[cs->role] = cs->col;
	}
	if (sc->date_from_parts && sc->date_keep) {
		const char *name = store_find(s, "date") < 0 ? "date" : "date_";
		int c = store_add_column(s, name, TL_DATE);
		if (c < 0) return -1;
		((tl_schema *)sc)->date_col = c;
		s->role[TL_ROLE_DATE] = c;
	}
	return 0;
}


/* --------------------------------------------------------------- the header */

typedef struct header_ctx {
	char  **names;
	size_t  n, cap;
	int     done;
	int     bad_utf8;
} header_ctx;

static void hdr_field(void *data, size_t n, void *ctx)
{
	header_ctx *h = ctx;
	if (h->done) return;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		char **nn = realloc(h->names, h->cap * sizeof *nn);
		if (!nn) { h->done = 2; return; }
		h->names = nn;
	}
	if (utf8_check(data ? data : (void *)"", n)) h->bad_utf8 = (int)h->n + 1;
	const char *s = data ? data : "";
	trim(&s, &n);
	if (!(h->names[h->n] = strndup(s, n))) { h->done = 2; return; }
	h->n++;
}

static void hdr_row(int c, void *ctx)
{
	(void)c;
	((header_ctx *)ctx)->done = 1;
}

void header_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++) free(names[i]);
	free(names);
}

/* Parses the header record at buf; returns the number of bytes it took (and the
 * lines in *lines), or (size_t)-1 with err filled. */
size_t header_parse(const char *buf, size_t n, const char *path, char ***names, size_t *nnames,
                    long *lines, tl_error *err)
{
	struct csv_parser csv;
	header_ctx h = {0};
	size_t used = 0;
	*lines = 0;
	if (csv_init(&csv, CSV_STRICT | CSV_STRICT_FINI) != 0) return (size_t)tl_fail(err, path, 1, 0, "out of memory");
	csv_set_realloc_func(&csv, realloc);
	csv_set_free_func(&csv, free);
	/* byte by byte: the header ends at its terminator, whichever it is (LF, CRLF
	 * or a lone CR), and the body starts right after it */
	while (used < n && !h.done) {
		if (csv_parse(&csv, buf + used, 1, hdr_field, hdr_row, &h) != 1) {
			tl_fail(err, path, *lines + 1, (long)h.n + 1, "malformed CSV header");
			goto fail;
		}
		if (buf[used] == '\n') (*lines)++;
		used++;
	}
	if (!h.done) csv_fini(&csv, hdr_field, hdr_row, &h);
	if (used && buf[used - 1] == '\r' && (used == n || buf[used] != '\n')) {
		/* a header ended by a lone CR: lines end with CR, count them so */
		*lines = 0;
		for (size_t i = 0; i < used; i++) *lines += buf[i] == '\r' && (i + 1 == n || buf[i + 1] != '\n');
	}
	if (h.done == 2) { tl_fail(err, path, 1, 0, "out of memory"); goto fail; }
	if (h.n == 0) { tl_fail(err, path, 1, 0, "empty file: no header line"); goto fail; }
	if (h.bad_utf8) { tl_fail(err, path, 1, h.bad_utf8, "invalid UTF-8 or a NUL byte in the header"); goto fail; }
	csv_free(&csv);
	*names = h.names;
	*nnames = h.n;
	return used;
fail:
	csv_free(&csv);
	header_free(h.names, h.n);
	return (size_t)-1;
}
