/* Vocabularies: the ISO 3166-1 countries from Debian's iso-codes, the aliases and
 * display names of data/country-aliases.tsv, CICA status from data/cica-status.tsv
 * (the six CICA dimensions, a fixed table, are dimension.c's).
 *
 * Every name is stored folded (see vc_fold) in a hash index, so that a lookup costs
 * one fold and one probe; the loader calls it once per distinct cell value. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <glib.h>
#include <json-c/json.h>

#include "tally/vocab.h"
#include "tally/suggest.h"

#define VC_ISODIR  "/usr/share/iso-codes/json"
#define VC_KEYMAX  256       /* longest folded name, NUL included; ISO's longest is 52 */
#define VC_NONE    SIZE_MAX  /* "no country" and "free slot" */
#define VC_NOISO   (VC_NONE - 1) /* a FIPS code with no ISO country: VC_NOISO - k names noiso[k] */
#define VC_MAXF    8         /* most fields a data line may have */

#ifdef TALLY_SHAREDIR
#define VC_DATADIR TALLY_SHAREDIR "/data"
#else
#define VC_DATADIR "data"
#endif

typedef struct vc_entry {
	char  *key;      /* folded */
	size_t country;  /* index into tl_vocab.cs */
} vc_entry;

/* Entries in insertion order, so that vocab_suggest breaks ties the same way on
 * every run, and an open-addressing table of indexes into them. */
typedef struct vc_index {
	vc_entry *ents;
	size_t    nents, capents;
	size_t   *slots;   /* VC_NONE marks a free slot */
	size_t    nslots;  /* a power of two, more than twice nents */
} vc_index;

typedef struct vc_country {
	tl_country pub;
	char      *iso_name;  /* all owned; pub.name points at one of them */
	char      *official;
	char      *common;
	char      *display;   /* the [display] override, NULL when none */
} vc_country;

struct tl_vocab {
	vc_country *cs;
	size_t      ncs;
	vc_index    names;    /* names, official and common names, display names, aliases */
	vc_index    a2, a3;
	vc_index    fips;     /* FIPS 10-4 code -> country, or VC_NOISO */
	char      **noiso;    /* names of the FIPS codes with no ISO country */
	size_t      nnoiso;
	char      **orgs;     /* observer organisations */
	size_t      norgs;
	char      **partners; /* partner organisations */
	size_t      npartners;
};

/* ------------------------------------------------------------------------ */
/* Folding                                                                  */
/* ------------------------------------------------------------------------ */

/* Decodes one UTF-8 character leniently: a byte that does not start a valid
 * sequence stands for itself as 0xDC00 + byte (as Python's surrogateescape), so
 * that bad input still folds, compares and measures deterministically. */
static unsigned vc_decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned c = s[0];

	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c < 0xE0 && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return (c & 0x1F) << 6 | (s[1] & 0x3F);
	}
	if (c >= 0xE0 && c < 0xF0 && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return (c & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	}
	if (c >= 0xF0 && c < 0xF5 && n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		*len = 4;
		return (c & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
		       (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	}
	return 0xDC00 + c;
}

/* The typographic forms of the apostrophe and quotes, made ASCII: a digest
 * writes "Côte d’Ivoire" as often as "Côte d'Ivoire". */
static gunichar vc_ascii_quote(gunichar c)
{
	switch (c) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0x02B9:
	case 0xFF07: case 0x0060:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0xFF02:
		return '"';
	}
	return c;
}

/* A name in the form matching compares: NFKD, then combining marks dropped,
 * then case folded (Unicode's full folding: "TÜRKİYE", "Türkiye" and
 * "Turkiye" all give "turkiye", "Việt Nam" gives "viet nam"). NULL when s is
 * not valid UTF-8; newly allocated (g_free) otherwise. ASCII takes a shortcut. */
static char *vc_casefold(const char *s, size_t n)
{
	char *nfkd, *bare, *folded;
	size_t i, o = 0;

	for (i = 0; i < n && !((unsigned char)s[i] & 0x80); i++)
		;
	if (i == n) {   /* ASCII: folding is lower case */
		char *t = g_malloc(n + 1);
		for (i = 0; i < n; i++)
			t[i] = (char)g_ascii_tolower(s[i]);
		t[n] = '\0';
		return t;
	}
	if (!g_utf8_validate(s, (gssize)n, NULL) || !(nfkd = g_utf8_normalize(s, (gssize)n, G_NORMALIZE_NFKD)))
		return NULL;
	bare = g_malloc(strlen(nfkd) + 1);
	for (const char *p = nfkd; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_ismark(c))
			o += (size_t)g_unichar_to_utf8(c, bare + o);
	}
	bare[o] = '\0';
	folded = g_utf8_casefold(bare, (gssize)o);
	g_free(nfkd);
	g_free(bare);
	return folded;
}

/* Folds n bytes of s into out (VC_KEYMAX bytes) for matching: vc_casefold,
 * typographic apostrophes and quotes made ASCII, surrounding spaces trimmed,
 * inner runs of spaces made one, and a leading "the " dropped ("the
 * Philippines", ISO's "the State of Palestine"). The name tally prints is kept
 * elsewhere: only the key is folded. Returns the folded length, VC_NONE when
 * the name is too long, holds a NUL or is not valid UTF-8. */
static size_t vc_fold(const char *s, size_t n, char *out)
{
	char *f;
	size_t o = 0;
	int space = 0;

	if (memchr(s, '\0', n) || n >= 4 * VC_KEYMAX || !(f = vc_casefold(s, n)))
		return VC_NONE;
	for (const char *p = f; *p; p = g_utf8_next_char(p)) {
		gunichar c = vc_ascii_quote(g_utf8_get_char(p));
		char buf[6];
		size_t len;

		if (g_unichar_isspace(c)) {
			space = 1;
			continue;
		}
		len = (size_t)g_unichar_to_utf8(c, buf);
		if (o + (space && o > 0) + len >= VC_KEYMAX) {
			g_free(f);
			return VC_NONE;
		}
		if (space && o > 0)
			out[o++] = ' ';
		space = 0;
		memcpy(out + o, buf, len);
		o += len;
	}
	g_free(f);
	out[o] = '\0';
	if (o > 4 && memcmp(out, "the ", 4) == 0) {
		memmove(out, out + 4, o - 3);
		o -= 4;
	}
	return o;
}

/* ------------------------------------------------------------------------ */
/* Hash index                                                               */
/* ------------------------------------------------------------------------ */

static uint64_t vc_hash(const char *k)
{
	uint64_t h = 14695981039346656037u;   /* FNV-1a */

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* The slot that holds key, or the free slot where it would go. */
static size_t *vc_slot(const vc_index *ix, const char *key)
{
	size_t mask = ix->nslots - 1, i = (size_t)vc_hash(key) & mask;

	while (ix->slots[i] != VC_NONE && strcmp(ix->ents[ix->slots[i]].key, key) != 0)
		i = (i + 1) & mask;
	return &ix->slots[i];
}

static int vc_rehash(vc_index *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 64, i;
	size_t *slots = malloc(n * sizeof *slots);

	if (!slots)
		return -1;
	for (i = 0; i < n; i++)
		slots[i] = VC_NONE;
	free(ix->slots);
	ix->slots = slots;
	ix->nslots = n;
	for (i = 0; i < ix->nents; i++)
		*vc_slot(ix, ix->ents[i].key) = i;
	return 0;
}

/* Binds a folded key to a country unless it is bound already. Returns the country
 * the key names afterwards, so a caller sees a clash as a different index; VC_NONE
 * when out of memory. */
static size_t vc_put(vc_index *ix, const char *key, size_t country)
{
	size_t *slot;
	char *k;

	if (ix->nslots && *(slot = vc_slot(ix, key)) != VC_NONE)
		return ix->ents[*slot].country;
	if ((ix->nents + 1) * 2 > ix->nslots && vc_rehash(ix) < 0)
		return VC_NONE;
	if (ix->nents == ix->capents) {
		size_t cap = ix->capents ? ix->capents * 2 : 256;
		vc_entry *e = realloc(ix->ents, cap * sizeof *e);

		if (!e)
			return VC_NONE;
		ix->ents = e;
		ix->capents = cap;
	}
	if (!(k = strdup(key)))
		return VC_NONE;
	ix->ents[ix->nents].key = k;
	ix->ents[ix->nents].country = country;
	*vc_slot(ix, key) = ix->nents++;
	return country;
}

static size_t vc_get(const vc_index *ix, const char *key)
{
	size_t slot;

	if (!ix->nslots)
		return VC_NONE;
	slot = *vc_slot(ix, key);
	return slot == VC_NONE ? VC_NONE : ix->ents[slot].country;
}

static void vc_index_free(vc_index *ix)
{
	size_t i;

	for (i = 0; i < ix->nents; i++)
		free(ix->ents[i].key);
	free(ix->ents);
	free(ix->slots);
}

/* ------------------------------------------------------------------------ */
/* Loading                                                                  */
/* ------------------------------------------------------------------------ */

static const char *vc_jstr(json_object *o, const char *key)
{
	json_object *s;

	if (!json_object_object_get_ex(o, key, &s) || !json_object_is_type(s, json_type_string))
		return NULL;
	return json_object_get_string(s);
}

/* strdup that passes NULL through, for iso-codes' optional fields; *oom is set
 * when a copy was wanted and failed. */
static char *vc_dup(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

const char *vocab_iso_path(char *buf, size_t n)
{
	const char *dir = getenv("TALLY_ISO_CODES");

	if (!dir || !*dir)
		dir = VC_ISODIR;
	if ((size_t)snprintf(buf, n, "%s/iso_3166-1.json", dir) >= n)
		return NULL;
	return buf;
}

/* The country list is read from iso-codes rather than typed in, so that it
 * follows ISO's changes (Türkiye in 2022) with a Debian update. */
static int vc_loadiso(tl_vocab *v, tl_error *err)
{
	json_object *root = NULL, *list;
	char path[1024];
	size_t i, n;
	int rc = -1, oom = 0;

	if (!vocab_iso_path(path, sizeof path)) {
		tl_fail(err, getenv("TALLY_ISO_CODES"), 0, 0, "directory name too long");
		goto out;
	}
	if (!(root = json_object_from_file(path))) {
		const char *why = json_util_get_last_err();
		tl_fail(err, path, 0, 0, "cannot read the ISO 3166-1 country list: %s",
		        why ? why : "unknown error");
		goto out;
	}
	if (!json_object_object_get_ex(root, "3166-1", &list) ||
	    !json_object_is_type(list, json_type_array) || !(n = json_object_array_length(list))) {
		tl_fail(err, path, 0, 0, "no \"3166-1\" list of countries");
		goto out;
	}
	if (!(v->cs = calloc(n, sizeof *v->cs))) {
		tl_fail(err, path, 0, 0, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(list, i);
		const char *a2 = vc_jstr(o, "alpha_2"), *a3 = vc_jstr(o, "alpha_3");
		const char *name = vc_jstr(o, "name");
		vc_country *c = &v->cs[v->ncs];

		if (!a2 || strlen(a2) != 2 || !a3 || strlen(a3) != 3 || !name || !*name) {
			tl_fail(err, path, 0, 0, "country %zu lacks alpha_2, alpha_3 or name", i + 1);
			goto out;
		}
		memcpy(c->pub.alpha2, a2, 3);
		memcpy(c->pub.alpha3, a3, 4);
		c->iso_name = vc_dup(name, &oom);
		c->official = vc_dup(vc_jstr(o, "official_name"), &oom);
		c->common = vc_dup(vc_jstr(o, "common_name"), &oom);
		v->ncs++;
		if (oom) {
			tl_fail(err, path, 0, 0, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

/* Indexes what iso-codes says of each country. Two countries sharing a name is
 * iso-codes' business, not an error of ours: the first keeps it. */
static int vc_indexiso(tl_vocab *v, tl_error *err)
{
	char key[VC_KEYMAX];
	size_t i, j;

	for (i = 0; i < v->ncs; i++) {
		vc_country *c = &v->cs[i];
		const char *names[] = { c->iso_name, c->official, c->common };

		if (vc_fold(c->pub.alpha2, 2, key) == VC_NONE || vc_put(&v->a2, key, i) == VC_NONE ||
		    vc_fold(c->pub.alpha3, 3, key) == VC_NONE || vc_put(&v->a3, key, i) == VC_NONE)
			return tl_fail(err, NULL, 0, 0, "out of memory");
		for (j = 0; j < sizeof names / sizeof *names; j++) {
			if (!names[j] || vc_fold(names[j], strlen(names[j]), key) == VC_NONE)
				continue;
			if (vc_put(&v->names, key, i) == VC_NONE)
				return tl_fail(err, NULL, 0, 0, "out of memory");
		}
	}
	return 0;
}

/* Binds a name from a data file to country ci. A name that already means
 * another country is an error: a silent first-wins would misfile rows. */
static int vc_addname(tl_vocab *v, const char *name, size_t ci, const char *path, long line,
                      long col, tl_error *err)
{
	char key[VC_KEYMAX];
	size_t len = vc_fold(name, strlen(name), key), got;

	if (len == VC_NONE || len == 0)
		return tl_fail(err, path, line, col, "empty or overlong name");
	if ((got = vc_put(&v->names, key, ci)) == VC_NONE)
		return tl_fail(err, path, line, col, "out of memory");
	if (got != ci)
		return tl_fail(err, path, line, col, "\"%s\" already names %s, not %s", name,
		               v->cs[got].pub.alpha3, v->cs[ci].pub.alpha3);
	return 0;
}

/* The country of an alpha-3 field, or VC_NONE with err filled. */
static size_t vc_code(const tl_vocab *v, const char *code, const char *path, long line,
                      long col, tl_error *err)
{
	char key[VC_KEYMAX];
	size_t ci = VC_NONE;

	if (vc_fold(code, strlen(code), key) == 3)
		ci = vc_get(&v->a3, key);
	if (ci == VC_NONE)
		tl_fail(err, path, line, col, "\"%s\" is not an ISO 3166-1 alpha-3 code", code);
	return ci;
}

typedef int (*vc_linefn)(tl_vocab *v, void *ctx, char **f, int nf, const char *path,
                         long line, tl_error *err);

/* Reads a data file of TAB-separated fields, handing each record to fn. Fields
 * are trimmed of spaces; a field starting with '#' ends the record, so blank and
 * comment lines reach fn as nothing and a note may follow the data. */
static int vc_readtsv(tl_vocab *v, const char *dir, const char *file, vc_linefn fn, void *ctx,
                      tl_error *err)
{
	char path[1024], *buf = NULL, *f[VC_MAXF];
	size_t cap = 0;
	long line = 0;
	FILE *fp = NULL;
	int rc = -1;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) >= sizeof path) {
		tl_fail(err, dir, 0, 0, "directory name too long");
		goto out;
	}
	if (!(fp = fopen(path, "r"))) {
		tl_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
		goto out;
	}
	while (getline(&buf, &cap, fp) != -1) {
		char *p = buf, *end;
		int nf = 0;

		line++;
		if (line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;                          /* a BOM some editors add */
		for (;;) {
			size_t n = strcspn(p, "\t\n");
			int last = p[n] != '\t';

			p[n] = '\0';
			while (*p == ' ' || *p == '\r')
				p++;
			for (end = p + strlen(p); end > p && (end[-1] == ' ' || end[-1] == '\r'); end--)
				end[-1] = '\0';
			if (*p == '#')
				break;
			if (nf == VC_MAXF) {
				tl_fail(err, path, line, nf + 1, "too many fields");
				goto out;
			}
			f[nf++] = p;
			if (last)
				break;
			p += n + 1;
		}
		if (nf == 0 || (nf == 1 && !*f[0]))
			continue;
		if (fn(v, ctx, f, nf, path, line, err) < 0)
			goto out;
	}
	if (ferror(fp)) {
		tl_fail(err, path, line, 0, "read error");
		goto out;
	}
	rc = 0;
out:
	free(buf);
	if (fp)
		fclose(fp);
	return rc;
}

/* One record of fips-iso.tsv: FIPS<TAB>ISO2<TAB>name. A code with no ISO
 * country keeps its name, so that a cell holding it is refused by name. */
static int vc_fipsline(tl_vocab *v, void *ctx, char **f, int nf, const char *path, long line,
                       tl_error *err)
{
	char key[VC_KEYMAX], a2[VC_KEYMAX];
	size_t ci;

	(void)ctx;
	if (nf != 3 || vc_fold(f[0], strlen(f[0]), key) != 2)
		return tl_fail(err, path, line, 1, "expected FIPS<TAB>ISO2<TAB>name");
	if (strcmp(f[1], "-") == 0) {
		char **l = realloc(v->noiso, (v->nnoiso + 1) * sizeof *l);

		if (!l)
			return tl_fail(err, path, line, 3, "out of memory");
		v->noiso = l;
		if (!(l[v->nnoiso] = strdup(f[2])))
			return tl_fail(err, path, line, 3, "out of memory");
		ci = VC_NOISO - v->nnoiso++;
	} else {
		if (vc_fold(f[1], strlen(f[1]), a2) != 2 || (ci = vc_get(&v->a2, a2)) == VC_NONE)
			return tl_fail(err, path, line, 2, "\"%s\" is not an ISO 3166-1 alpha-2 code", f[1]);
	}
	if (vc_get(&v->fips, key) != VC_NONE)
		return tl_fail(err, path, line, 1, "FIPS code %s is listed twice", f[0]);
	if (vc_put(&v->fips, key, ci) == VC_NONE)
		return tl_fail(err, path, line, 1, "out of memory");
	return 0;
}

/* One record of country-aliases.tsv; *ctx is nonzero inside [display]. */
static int vc_aliasline(tl_vocab *v, void *ctx, char **f, int nf, const char *path, long line,
                        tl_error *err)
{
	int *display = ctx;
	size_t ci;

	if (nf == 1 && f[0][0] == '[') {
		if (strcmp(f[0], "[alias]") == 0)
			*display = 0;
		else if (strcmp(f[0], "[display]") == 0)
			*display = 1;
		else
			return tl_fail(err, path, line, 1, "unknown section %s", f[0]);
		return 0;
	}
	if (nf != 2)
		return tl_fail(err, path, line, nf < 2 ? 2 : 3, "expected %s",
		               *display ? "ALPHA3<TAB>name" : "alias<TAB>ALPHA3");
	if (!*display) {
		if ((ci = vc_code(v, f[1], path, line, 2, err)) == VC_NONE)
			return -1;
		return vc_addname(v, f[0], ci, path, line, 1, err);
	}
	if ((ci = vc_code(v, f[0], path, line, 1, err)) == VC_NONE)
		return -1;
	if (v->cs[ci].display)
		return tl_fail(err, path, line, 1, "second display name for %s", f[0]);
	if (!(v->cs[ci].display = strdup(f[1])))
		return tl_fail(err, path, line, 2, "out of memory");
	return vc_addname(v, f[1], ci, path, line, 2, err);
}

static int vc_pushorg(char ***list, size_t *n, const char *name)
{
	char **l = realloc(*list, (*n + 1) * sizeof *l);

	if (!l)
		return -1;
	*list = l;
	if (!(l[*n] = strdup(name)))
		return -1;
	(*n)++;
	return 0;
}

/* One record of cica-status.tsv. */
static int vc_statusline(tl_vocab *v, void *ctx, char **f, int nf, const char *path, long line,
                         tl_error *err)
{
	tl_cica st;
	size_t ci;

	(void)ctx;
	if (strcmp(f[0], "org") == 0) {
		int partner;

		if (nf != 3 || !*f[1])
			return tl_fail(err, path, line, nf < 3 ? nf + 1 : 4,
			               "expected org<TAB>name<TAB>observer|partner");
		if (strcmp(f[2], "observer") != 0 && strcmp(f[2], "partner") != 0)
			return tl_fail(err, path, line, 3, "\"%s\" is neither observer nor partner", f[2]);
		partner = strcmp(f[2], "partner") == 0;
		if (vc_pushorg(partner ? &v->partners : &v->orgs, partner ? &v->npartners : &v->norgs,
		               f[1]) < 0)
			return tl_fail(err, path, line, 2, "out of memory");
		return 0;
	}
	if (nf != 2)
		return tl_fail(err, path, line, nf < 2 ? 2 : 3, "expected ALPHA3<TAB>member|observer");
	if ((ci = vc_code(v, f[0], path, line, 1, err)) == VC_NONE)
		return -1;
	if (strcmp(f[1], "member") == 0)
		st = TL_CICA_MEMBER;
	else if (strcmp(f[1], "observer") == 0)
		st = TL_CICA_OBSERVER;
	else
		return tl_fail(err, path, line, 2, "\"%s\" is neither member nor observer", f[1]);
	if (v->cs[ci].pub.cica != TL_CICA_NONE)
		return tl_fail(err, path, line, 1, "%s is listed twice", f[0]);
	v->cs[ci].pub.cica = st;
	return 0;
}

/* A data file a data directory may leave out: without fips-iso.tsv every FIPS
 * code is unknown (an error), and nothing else changes. */
static int vc_readoptional(tl_vocab *v, const char *dir, const char *file, vc_linefn fn,
                           tl_error *err)
{
	char path[1024];

	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) < sizeof path &&
	    access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	return vc_readtsv(v, dir, file, fn, NULL, err);
}

/* ISO's inverted names ("Iran, Islamic Republic of") read badly in a chart, so
 * they give way to iso-codes' common name; the data file's [display] line, when
 * there is one, has the last word ("Republic of Korea", not "South Korea"). */
static void vc_setnames(tl_vocab *v)
{
	size_t i;

	for (i = 0; i < v->ncs; i++) {
		vc_country *c = &v->cs[i];

		c->pub.iso_name = c->iso_name;
		if (c->display)
			c->pub.name = c->display;
		else if (c->common && strstr(c->iso_name, ", "))
			c->pub.name = c->common;
		else
			c->pub.name = c->iso_name;
	}
}

tl_vocab *vocab_open(const char *datadir, tl_error *err)
{
	tl_vocab *v = calloc(1, sizeof *v);
	int display = 0;

	if (!v) {
		tl_fail(err, NULL, 0, 0, "out of memory");
		return NULL;
	}
	if (!datadir)
		datadir = VC_DATADIR;
	if (vc_loadiso(v, err) < 0 || vc_indexiso(v, err) < 0 ||
	    vc_readtsv(v, datadir, "country-aliases.tsv", vc_aliasline, &display, err) < 0 ||
	    vc_readtsv(v, datadir, "cica-status.tsv", vc_statusline, NULL, err) < 0 ||
	    vc_readoptional(v, datadir, "fips-iso.tsv", vc_fipsline, err) < 0) {
		vocab_free(v);
		return NULL;
	}
	vc_setnames(v);
	return v;
}

void vocab_free(tl_vocab *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->ncs; i++) {
		free(v->cs[i].iso_name);
		free(v->cs[i].official);
		free(v->cs[i].common);
		free(v->cs[i].display);
	}
	free(v->cs);
	vc_index_free(&v->names);
	vc_index_free(&v->a2);
	vc_index_free(&v->a3);
	vc_index_free(&v->fips);
	for (i = 0; i < v->nnoiso; i++)
		free(v->noiso[i]);
	free(v->noiso);
	for (i = 0; i < v->norgs; i++)
		free(v->orgs[i]);
	free(v->orgs);
	for (i = 0; i < v->npartners; i++)
		free(v->partners[i]);
	free(v->partners);
	free(v);
}

/* ------------------------------------------------------------------------ */
/* Countries                                                                */
/* ------------------------------------------------------------------------ */

/* Codes are never guessed across systems: "NI" is Nicaragua only when the
 * column is declared ISO2, since in a name column it is more likely a typo.
 * RAW columns are not looked up at all. */
const tl_country *vocab_country(const tl_vocab *v, const char *s, size_t n, tl_ccmode mode)
{
	char key[VC_KEYMAX];
	size_t len, ci = VC_NONE;

	if (!v || !s || (len = vc_fold(s, n, key)) == VC_NONE || len == 0)
		return NULL;
	switch (mode) {
	case TL_CC_NAME:
		ci = vc_get(&v->names, key);
		if (ci == VC_NONE && len == 3)
			ci = vc_get(&v->a3, key);
		break;
	case TL_CC_ISO2:
		if (len == 2)
			ci = vc_get(&v->a2, key);
		break;
	case TL_CC_ISO3:
		if (len == 3)
			ci = vc_get(&v->a3, key);
		break;
	case TL_CC_FIPS:
		if (len == 2)
			ci = vc_get(&v->fips, key);
		break;
	case TL_CC_RAW:
		break;
	}
	return ci >= v->ncs ? NULL : &v->cs[ci].pub;
}

const char *vocab_fips_noiso(const tl_vocab *v, const char *s, size_t n)
{
	char key[VC_KEYMAX];
	size_t ci;

	if (!v || !s || vc_fold(s, n, key) != 2 || (ci = vc_get(&v->fips, key)) == VC_NONE ||
	    ci < v->ncs)
		return NULL;
	return v->noiso[VC_NOISO - ci];
}

static size_t vc_codepoints(const char *s, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k = 0, len;

	while (i < n) {
		cp[k++] = vc_decode(p + i, n - i, &len);
		i += len;
	}
	return k;
}

/* Compares the unknown name with every name and alias, not with codes or with
 * acronyms under four letters: against those any short typo would be "close".
 * A name is close within tl_suggest_limit edits (core/store/suggest.c), the rule
 * every "did you mean" follows. */
const char *vocab_suggest(const tl_vocab *v, const char *s, size_t n)
{
	char key[VC_KEYMAX];
	unsigned a[VC_KEYMAX], b[VC_KEYMAX];
	size_t len, na, i, limit, best = VC_NONE;

	if (!v || !s || (len = vc_fold(s, n, key)) == VC_NONE || len == 0)
		return NULL;
	na = vc_codepoints(key, a);
	limit = tl_suggest_limit(na);
	for (i = 0; i < v->names.nents; i++) {
		const vc_entry *e = &v->names.ents[i];
		size_t nb = vc_codepoints(e->key, b), d;

		if (nb < 4 || (nb > na ? nb - na : na - nb) > limit)
			continue;
		if ((d = tl_edit_distance(a, na, b, nb, limit)) <= limit) {
			best = e->country;
			if (d == 0)
				break;
			limit = d - 1;   /* from now on only strictly closer names count */
		}
	}
	return best == VC_NONE ? NULL : v->cs[best].pub.name;
}

size_t vocab_ncountries(const tl_vocab *v)
{
	return v ? v->ncs : 0;
}

const tl_country *vocab_country_at(const tl_vocab *v, size_t i)
{
	return v && i < v->ncs ? &v->cs[i].pub : NULL;
}

size_t vocab_norgs(const tl_vocab *v)
{
	return v ? v->norgs : 0;
}

const char *vocab_org_at(const tl_vocab *v, size_t i)
{
	return v && i < v->norgs ? v->orgs[i] : NULL;
}

size_t vocab_npartners(const tl_vocab *v)
{
	return v ? v->npartners : 0;
}

const char *vocab_partner_at(const tl_vocab *v, size_t i)
{
	return v && i < v->npartners ? v->partners[i] : NULL;
}

int vocab_ccmode(const char *s)
{
	static const struct { const char *name; tl_ccmode mode; } modes[] = {
		{ "name", TL_CC_NAME }, { "iso2", TL_CC_ISO2 }, { "alpha2", TL_CC_ISO2 },
		{ "alpha-2", TL_CC_ISO2 }, { "iso3", TL_CC_ISO3 }, { "alpha3", TL_CC_ISO3 },
		{ "alpha-3", TL_CC_ISO3 }, { "raw", TL_CC_RAW },
		{ "fips", TL_CC_FIPS },
	};
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof modes / sizeof *modes; i++)
		if (strcasecmp(s, modes[i].name) == 0)
			return (int)modes[i].mode;
	return -1;
}
