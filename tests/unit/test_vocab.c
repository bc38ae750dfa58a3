/* checks: 214 */
/* Unit tests of the vocabularies (core/vocab.c) against the installed iso-codes
 * and the files in data/. Run from the repository root; prints "ok - NAME" or
 * "not ok - NAME" per check and exits 0; tests/run judges the lines, the exit
 * status and the count declared above. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tally/vocab.h"

/* Prints one result line; control characters in the inputs named are shown as
 * \t, \r, \n, so that every check stays on its own line. */
static void check(int ok, const char *fmt, const char *a, const char *b)
{
	char buf[512];
	const char *p;

	snprintf(buf, sizeof buf, fmt, a, b);
	printf("%s - ", ok ? "ok" : "not ok");
	for (p = buf; *p; p++) {
		if (*p == '\t' || *p == '\r' || *p == '\n')
			printf("\\%c", *p == '\t' ? 't' : *p == '\r' ? 'r' : 'n');
		else
			putchar(*p);
	}
	putchar('\n');
}

static const char *modename(tl_ccmode m)
{
	static const char *names[] = { "name", "iso2", "iso3", "raw" };
	return names[m];
}

/* ---- country lookups: {input, mode, expected alpha-3 or NULL} ---- */

static const struct { const char *in; tl_ccmode mode; const char *a3; } countries[] = {
	/* CICA digest spellings */
	{ "Türkiye", TL_CC_NAME, "TUR" },          { "Turkey", TL_CC_NAME, "TUR" },
	{ "Turkiye", TL_CC_NAME, "TUR" },          { "Republic of Türkiye", TL_CC_NAME, "TUR" },
	{ "Iran", TL_CC_NAME, "IRN" },             { "Islamic Republic of Iran", TL_CC_NAME, "IRN" },
	{ "Iran, Islamic Republic of", TL_CC_NAME, "IRN" },
	{ "Russia", TL_CC_NAME, "RUS" },           { "Russian Federation", TL_CC_NAME, "RUS" },
	{ "Kyrgyzstan", TL_CC_NAME, "KGZ" },       { "Kyrgyz Republic", TL_CC_NAME, "KGZ" },
	{ "UAE", TL_CC_NAME, "ARE" },              { "United Arab Emirates", TL_CC_NAME, "ARE" },
	{ "Palestine", TL_CC_NAME, "PSE" },        { "State of Palestine", TL_CC_NAME, "PSE" },
	{ "the State of Palestine", TL_CC_NAME, "PSE" },
	{ "Republic of Korea", TL_CC_NAME, "KOR" }, { "South Korea", TL_CC_NAME, "KOR" },
	{ "Korea", TL_CC_NAME, "KOR" },            { "Korea, Republic of", TL_CC_NAME, "KOR" },
	{ "Viet Nam", TL_CC_NAME, "VNM" },         { "Vietnam", TL_CC_NAME, "VNM" },
	{ "China", TL_CC_NAME, "CHN" },            { "People's Republic of China", TL_CC_NAME, "CHN" },
	{ "People\u2019s Republic of China", TL_CC_NAME, "CHN" },
	{ "PRC", TL_CC_NAME, "CHN" },
	{ "Lao PDR", TL_CC_NAME, "LAO" },          { "Laos", TL_CC_NAME, "LAO" },
	{ "Azerbaijan", TL_CC_NAME, "AZE" },       { "Kazakhstan", TL_CC_NAME, "KAZ" },
	{ "Republic of Kazakhstan", TL_CC_NAME, "KAZ" },
	{ "Uzbekistan", TL_CC_NAME, "UZB" },       { "Tajikistan", TL_CC_NAME, "TJK" },
	{ "Turkmenistan", TL_CC_NAME, "TKM" },     { "Mongolia", TL_CC_NAME, "MNG" },
	{ "Bangladesh", TL_CC_NAME, "BGD" },       { "Cambodia", TL_CC_NAME, "KHM" },
	{ "Egypt", TL_CC_NAME, "EGY" },            { "India", TL_CC_NAME, "IND" },
	{ "Iraq", TL_CC_NAME, "IRQ" },             { "Israel", TL_CC_NAME, "ISR" },
	{ "Jordan", TL_CC_NAME, "JOR" },           { "Kuwait", TL_CC_NAME, "KWT" },
	{ "State of Kuwait", TL_CC_NAME, "KWT" },  { "Pakistan", TL_CC_NAME, "PAK" },
	{ "Qatar", TL_CC_NAME, "QAT" },            { "Sri Lanka", TL_CC_NAME, "LKA" },
	{ "Thailand", TL_CC_NAME, "THA" },         { "Bahrain", TL_CC_NAME, "BHR" },
	{ "Afghanistan", TL_CC_NAME, "AFG" },      { "Belarus", TL_CC_NAME, "BLR" },
	{ "Malaysia", TL_CC_NAME, "MYS" },         { "Japan", TL_CC_NAME, "JPN" },
	{ "Indonesia", TL_CC_NAME, "IDN" },        { "Philippines", TL_CC_NAME, "PHL" },
	{ "the Philippines", TL_CC_NAME, "PHL" },  { "Ukraine", TL_CC_NAME, "UKR" },
	{ "USA", TL_CC_NAME, "USA" },              { "United States", TL_CC_NAME, "USA" },
	{ "US", TL_CC_NAME, "USA" },               { "United States of America", TL_CC_NAME, "USA" },
	{ "UK", TL_CC_NAME, "GBR" },               { "United Kingdom", TL_CC_NAME, "GBR" },
	{ "Britain", TL_CC_NAME, "GBR" },          { "Morocco", TL_CC_NAME, "MAR" },
	{ "Kingdom of Morocco", TL_CC_NAME, "MAR" }, { "Syria", TL_CC_NAME, "SYR" },
	{ "Moldova", TL_CC_NAME, "MDA" },          { "North Korea", TL_CC_NAME, "PRK" },
	{ "DPRK", TL_CC_NAME, "PRK" },             { "Côte d'Ivoire", TL_CC_NAME, "CIV" },
	{ "Ivory Coast", TL_CC_NAME, "CIV" },      { "Cote d'Ivoire", TL_CC_NAME, "CIV" },
	{ "Congo", TL_CC_NAME, "COG" },            { "DR Congo", TL_CC_NAME, "COD" },
	/* case, Latin letters and spaces */
	{ "KAZAKHSTAN", TL_CC_NAME, "KAZ" },       { "kazakhstan", TL_CC_NAME, "KAZ" },
	{ "TÜRKIYE", TL_CC_NAME, "TUR" },          { "CÔTE D'IVOIRE", TL_CC_NAME, "CIV" },
	{ "  Kazakhstan  ", TL_CC_NAME, "KAZ" },   { "\tSri   Lanka \r\n", TL_CC_NAME, "LKA" },
	{ "\u00a0Japan\u00a0", TL_CC_NAME, "JPN" },
	/* codes: alpha-3 in names, each kind only where declared */
	{ "KAZ", TL_CC_NAME, "KAZ" },              { "kaz", TL_CC_NAME, "KAZ" },
	{ " NIC ", TL_CC_NAME, "NIC" },            { "NI", TL_CC_NAME, NULL },
	{ "NI", TL_CC_ISO2, "NIC" },               { "ni", TL_CC_ISO2, "NIC" },
	{ "NIC", TL_CC_ISO2, NULL },               { "Nicaragua", TL_CC_ISO2, NULL },
	{ "NIC", TL_CC_ISO3, "NIC" },              { "NI", TL_CC_ISO3, NULL },
	{ "Nicaragua", TL_CC_ISO3, NULL },         { "TR", TL_CC_ISO2, "TUR" },
	{ "Kazakhstan", TL_CC_RAW, NULL },
	/* unknown */
	{ "Atlantis", TL_CC_NAME, NULL },          { "", TL_CC_NAME, NULL },
	{ "   ", TL_CC_NAME, NULL },               { "the", TL_CC_NAME, NULL },
	{ "European Union", TL_CC_NAME, NULL },
};

static void test_countries(const tl_vocab *v)
{
	size_t i;
	char name[128];

	for (i = 0; i < sizeof countries / sizeof *countries; i++) {
		const tl_country *c = vocab_country(v, countries[i].in, strlen(countries[i].in),
		                                    countries[i].mode);
		int ok = countries[i].a3 ? c && strcmp(c->alpha3, countries[i].a3) == 0 : !c;

		snprintf(name, sizeof name, "country(\"%s\", %s) = %s", countries[i].in,
		         modename(countries[i].mode), countries[i].a3 ? countries[i].a3 : "unknown");
		check(ok, "%s%s", name, "");
		if (!ok)
			printf("# got %s\n", c ? c->alpha3 : "unknown");
	}
	/* n bounds the cell: the loader passes slices of a larger buffer */
	{
		const tl_country *c = vocab_country(v, "JapanXYZ", 5, TL_CC_NAME);
		check(c && strcmp(c->alpha3, "JPN") == 0, "country reads only n bytes%s%s", "", "");
	}
	check(vocab_country(v, NULL, 0, TL_CC_NAME) == NULL, "country(NULL) = unknown%s%s", "", "");
	check(vocab_country(NULL, "Japan", 5, TL_CC_NAME) == NULL, "country on no vocab%s%s", "", "");
}

/* ---- suggestions: {input, expected display name or NULL} ---- */

static const struct { const char *in, *out; } suggestions[] = {
	{ "Kazakstan", "Kazakhstan" },  { "Kazahkstan", "Kazakhstan" }, { "Turkye", "Türkiye" },
	{ "Isreal", "Israel" },         { "Phillipines", "Philippines" }, { "Uzbekstan", "Uzbekistan" },
	{ "Azerbaidjan", "Azerbaijan" }, { "Tadjikistan ", "Tajikistan" },
	{ "Repulic of Korea", "Republic of Korea" }, { "Irann", "Iran" },
	{ "Curacau", "Curaçao" },      /* ç for c costs one edit, not two */
	{ "Xyzzyq", NULL },             { "Qwertyuiop", NULL },       { "", NULL },
	{ "UAX", NULL },
};

static void test_suggest(const tl_vocab *v)
{
	size_t i;

	for (i = 0; i < sizeof suggestions / sizeof *suggestions; i++) {
		const char *got = vocab_suggest(v, suggestions[i].in, strlen(suggestions[i].in));
		int ok = suggestions[i].out ? got && strcmp(got, suggestions[i].out) == 0 : !got;

		check(ok, "suggest(\"%s\") = %s", suggestions[i].in,
		      suggestions[i].out ? suggestions[i].out : "nothing");
		if (!ok)
			printf("# got %s\n", got ? got : "nothing");
	}
}

/* ---- display names and CICA status ---- */

static const struct { const char *a3, *name; } displays[] = {
	{ "IRN", "Iran" },        { "KOR", "Republic of Korea" }, { "TUR", "Türkiye" },
	{ "PSE", "Palestine" },   { "RUS", "Russian Federation" }, { "VNM", "Viet Nam" },
	{ "LAO", "Lao PDR" },     { "MDA", "Moldova" },            { "TWN", "Taiwan" },
	{ "BOL", "Bolivia" },     { "VEN", "Venezuela" },          { "TZA", "Tanzania" },
	{ "PRK", "North Korea" }, { "COD", "Democratic Republic of the Congo" },
	{ "KAZ", "Kazakhstan" },  { "USA", "United States" },
};

static const struct { const char *a3; tl_cica cica; } statuses[] = {
	{ "KAZ", TL_CICA_MEMBER },   { "TUR", TL_CICA_MEMBER },   { "PSE", TL_CICA_MEMBER },
	{ "KWT", TL_CICA_MEMBER },   { "KOR", TL_CICA_MEMBER },   { "VNM", TL_CICA_MEMBER },
	{ "JPN", TL_CICA_OBSERVER }, { "USA", TL_CICA_OBSERVER }, { "TKM", TL_CICA_OBSERVER },
	{ "FRA", TL_CICA_NONE },     { "PRK", TL_CICA_NONE },
};

static void test_countrydata(const tl_vocab *v)
{
	static const char *cicanames[] = { "none", "member", "observer" };
	size_t i, n = vocab_ncountries(v), members = 0, observers = 0, bad = 0;
	int un = 0;

	for (i = 0; i < sizeof displays / sizeof *displays; i++) {
		const tl_country *c = vocab_country(v, displays[i].a3, 3, TL_CC_ISO3);

		check(c && strcmp(c->name, displays[i].name) == 0, "display name of %s is %s",
		      displays[i].a3, displays[i].name);
	}
	{
		const tl_country *c = vocab_country(v, "IRN", 3, TL_CC_ISO3);
		check(c && strcmp(c->iso_name, "Iran, Islamic Republic of") == 0,
		      "ISO name of %s is %s", "IRN", "\"Iran, Islamic Republic of\"");
	}
	for (i = 0; i < sizeof statuses / sizeof *statuses; i++) {
		const tl_country *c = vocab_country(v, statuses[i].a3, 3, TL_CC_ISO3);

		check(c && c->cica == statuses[i].cica, "CICA status of %s is %s", statuses[i].a3,
		      cicanames[statuses[i].cica]);
	}
	for (i = 0; i < n; i++) {
		const tl_country *c = vocab_country_at(v, i);

		members += c->cica == TL_CICA_MEMBER;
		observers += c->cica == TL_CICA_OBSERVER;
		/* every country is found by its own display name and codes */
		bad += vocab_country(v, c->name, strlen(c->name), TL_CC_NAME) != c ||
		       vocab_country(v, c->alpha2, 2, TL_CC_ISO2) != c ||
		       vocab_country(v, c->alpha3, 3, TL_CC_ISO3) != c;
	}
	check(n >= 249, "iso-codes gives %s%s", "at least 249 countries", "");
	check(vocab_country_at(v, n) == NULL, "country_at past the end is %s%s", "NULL", "");
	check(members == 28, "CICA has %s%s", "28 member states", "");
	check(observers == 8, "CICA has %s%s", "8 observer states", "");
	check(bad == 0, "every country is found by %s%s", "its display name and codes", "");
	for (i = 0; i < vocab_norgs(v); i++)
		un += strcmp(vocab_org_at(v, i), "United Nations") == 0;
	check(vocab_norgs(v) == 5 && un == 1, "observer organisations: %s%s", "5, with the UN", "");
	check(vocab_org_at(v, vocab_norgs(v)) == NULL, "org_at past the end is %s%s", "NULL", "");
	check(vocab_npartners(v) >= 2 &&
	      strcmp(vocab_partner_at(v, 0), "Eurasian Economic Commission") == 0,
	      "partner organisations start with %s%s", "the Eurasian Economic Commission", "");
}

/* ---- dimensions and column modes ---- */

static const struct { const char *in; int dim; } dimensions[] = {
	{ "military-political", TL_DIM_MILPOL },     { "Military-Political Dimension", TL_DIM_MILPOL },
	{ "military political", TL_DIM_MILPOL },     { "mil-pol", TL_DIM_MILPOL },
	{ "MPD", TL_DIM_MILPOL },                    { "Military\u2013political", TL_DIM_MILPOL },
	{ "NCT", TL_DIM_NCT },                       { "New Challenges and Threats", TL_DIM_NCT },
	{ "new challenges and threats dimension", TL_DIM_NCT },
	{ "new-challenges-and-threats", TL_DIM_NCT }, { "New Challenges & Threats", TL_DIM_NCT },
	{ "Economic", TL_DIM_ECONOMIC },             { "economic dimension", TL_DIM_ECONOMIC },
	{ "Environmental", TL_DIM_ENVIRONMENTAL },   { " environmental ", TL_DIM_ENVIRONMENTAL },
	{ "Human Dimension", TL_DIM_HUMAN },         { "human", TL_DIM_HUMAN },
	{ "The Human Dimension", TL_DIM_HUMAN },
	{ "institutional", TL_DIM_INSTITUTIONAL },   { "Institutional", TL_DIM_INSTITUTIONAL },
	{ "CICA institutional", TL_DIM_INSTITUTIONAL }, { "organisational", TL_DIM_INSTITUTIONAL },
	{ "foo", -1 },                               { "", -1 },
	{ "dimension", -1 },                         { "military", -1 },
};

static const struct { int dim; const char *name, *label; } dimnames[] = {
	{ TL_DIM_MILPOL, "military-political", "Military-political" },
	{ TL_DIM_NCT, "new-challenges-and-threats", "New challenges and threats" },
	{ TL_DIM_ECONOMIC, "economic", "Economic" },
	{ TL_DIM_ENVIRONMENTAL, "environmental", "Environmental" },
	{ TL_DIM_HUMAN, "human", "Human" },
	{ TL_DIM_INSTITUTIONAL, "institutional", "Institutional" },
};

static const struct { const char *in; int mode; } ccmodes[] = {
	{ "name", TL_CC_NAME }, { "iso2", TL_CC_ISO2 }, { "ISO3", TL_CC_ISO3 },
	{ "raw", TL_CC_RAW },   { "alpha-2", TL_CC_ISO2 }, { "iso4", -1 }, { "", -1 },
};

static void test_dimensions(void)
{
	char want[16];
	size_t i;

	for (i = 0; i < sizeof dimensions / sizeof *dimensions; i++) {
		snprintf(want, sizeof want, "%d", dimensions[i].dim);
		check(vocab_dimension(dimensions[i].in, strlen(dimensions[i].in)) == dimensions[i].dim,
		      "dimension(\"%s\") = %s", dimensions[i].in, want);
	}
	for (i = 0; i < sizeof dimnames / sizeof *dimnames; i++) {
		const char *name = vocab_dimension_name(dimnames[i].dim);
		const char *label = vocab_dimension_label(dimnames[i].dim);

		check(name && strcmp(name, dimnames[i].name) == 0 &&
		      vocab_dimension(name, strlen(name)) == dimnames[i].dim,
		      "dimension name %s%s", dimnames[i].name, " round-trips");
		check(label && strcmp(label, dimnames[i].label) == 0 &&
		      vocab_dimension(label, strlen(label)) == dimnames[i].dim,
		      "dimension label %s%s", dimnames[i].label, " round-trips");
	}
	check(vocab_dimension_name(TL_NDIMS) == NULL && vocab_dimension_label(-1) == NULL,
	      "dimension names out of range are %s%s", "NULL", "");
	check(vocab_dimension(NULL, 0) == -1, "dimension(NULL) = %s%s", "-1", "");
	for (i = 0; i < sizeof ccmodes / sizeof *ccmodes; i++) {
		snprintf(want, sizeof want, "%d", ccmodes[i].mode);
		check(vocab_ccmode(ccmodes[i].in) == ccmodes[i].mode, "ccmode(\"%s\") = %s",
		      ccmodes[i].in, want);
	}
	check(vocab_ccmode(NULL) == -1, "ccmode(NULL) = %s%s", "-1", "");
}

/* ---- failures: bad data must be refused with its location ---- */

/* Opens a vocabulary from a scratch directory holding the two data files, and
 * checks that it fails at the expected line (0: must succeed). */
static void checkerr(const char *name, const char *aliases, const char *status, long line)
{
	char dir[] = "/tmp/test_vocab.XXXXXX", path[64];
	tl_error err;
	tl_vocab *v = NULL;
	FILE *f;
	int ok = 0;

	memset(&err, 0, sizeof err);
	if (!mkdtemp(dir))
		goto out;
	snprintf(path, sizeof path, "%s/country-aliases.tsv", dir);
	if (!(f = fopen(path, "w")))
		goto out;
	fputs(aliases, f);
	fclose(f);
	snprintf(path, sizeof path, "%s/cica-status.tsv", dir);
	if (!(f = fopen(path, "w")))
		goto out;
	fputs(status, f);
	fclose(f);
	v = vocab_open(dir, &err);
	ok = line ? !v && err.line == line && strstr(err.file, dir) && err.msg[0] : v != NULL;
out:
	check(ok, "%s%s", name, "");
	if (!ok)
		printf("# got %s:%ld:%ld: %s\n", err.file, err.line, err.col, err.msg);
	vocab_free(v);
	snprintf(path, sizeof path, "%s/country-aliases.tsv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/cica-status.tsv", dir);
	unlink(path);
	rmdir(dir);
}

static void test_failures(void)
{
	tl_error err;
	tl_vocab *v;

	checkerr("minimal data files load", "# nothing\n", "KAZ\tmember\n", 0);
	checkerr("alias to an unknown code fails at its line", "Turkey\tTUR\nNarnia\tNRN\n", "", 2);
	checkerr("alias naming another country fails", "\nCongo\tCOD\n", "", 2);
	checkerr("alias without a code fails", "[alias]\n\nTurkey\n", "", 3);
	checkerr("unknown section fails", "[nicknames]\n", "", 1);
	checkerr("second display name fails", "[display]\nKOR\tA\nKOR\tB\n", "", 3);
	checkerr("unknown status fails", "", "# x\nJPN\tfriend\n", 2);
	checkerr("state listed twice fails", "", "JPN\tobserver\nJPN\tmember\n", 2);
	checkerr("org without role fails", "", "org\tUnited Nations\n", 1);

	memset(&err, 0, sizeof err);
	v = vocab_open("/nonexistent", &err);
	check(!v && strstr(err.file, "country-aliases.tsv"), "missing data directory %s%s",
	      "fails", "");
	vocab_free(v);

	setenv("TALLY_ISO_CODES", "/nonexistent", 1);
	memset(&err, 0, sizeof err);
	v = vocab_open("data", &err);
	check(!v && strstr(err.file, "/nonexistent/iso_3166-1.json"), "TALLY_ISO_CODES %s%s",
	      "is honoured", "");
	vocab_free(v);
	unsetenv("TALLY_ISO_CODES");

	vocab_free(NULL);   /* harmless: a crash here fails the suite */
}

int main(void)
{
	tl_error err;
	tl_vocab *v;

	memset(&err, 0, sizeof err);
	v = vocab_open("data", &err);
	check(v != NULL, "vocab_open(\"data\")%s%s", "", "");
	if (!v) {
		printf("# %s:%ld:%ld: %s\n", err.file, err.line, err.col, err.msg);
	} else {
		test_countries(v);
		test_suggest(v);
		test_countrydata(v);
	}
	test_dimensions();
	test_failures();
	vocab_free(v);
	return 0;
}
