/* The reader's language (see tally/lang.h). The C library keeps the locale per
 * thread, and gettext reads it from there: this file is the one place that
 * switches it, for the thread that draws. */
#include <locale.h>
#include <langinfo.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>
#include "tally/lang.h"
#include "tally/date.h"

#define N_(s) s   /* marks a msgid for xgettext; looked up later */

static const struct { const char *code, *locale; int rtl; } langs[] = {
	{ "en", NULL, 0 }, { "ru", "ru_RU.UTF-8", 0 }, { "zh", "zh_CN.UTF-8", 0 },
	{ "ar", "ar_EG.UTF-8", 1 }, { "fr", "fr_FR.UTF-8", 0 }, { "es", "es_ES.UTF-8", 0 },
};
#define NLANGS (sizeof langs / sizeof langs[0])

static size_t current;                  /* index into langs */
static locale_t shown = (locale_t)0;    /* LC_MESSAGES and LC_TIME of the language */
static char decimal[8] = ".";

/* The language the environment asks for: the first of LC_ALL, LC_MESSAGES, LANG
 * that is set, as POSIX orders them ("ru_RU.UTF-8" -> "ru"). */
static const char *from_environment(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (!v || !*v)
			continue;
		for (size_t k = 0; k < NLANGS; k++)
			if (strncmp(v, langs[k].code, 2) == 0 && (v[2] == 0 || v[2] == '_' || v[2] == '.'))
				return langs[k].code;
		return "en";
	}
	return "en";
}

int tl_lang_set(const char *code, const char *localedir, tl_error *err)
{
	size_t k = 0;
	int asked = code != NULL;
	if (!code)
		code = from_environment();
	while (k < NLANGS && strcmp(langs[k].code, code) != 0)
		k++;
	if (k == NLANGS)
		return tl_fail(err, NULL, 0, 0, "unknown language '%s': use one of %s", code, tl_lang_list());
	if (localedir) {
		bindtextdomain("tally", localedir);
		bind_textdomain_codeset("tally", "UTF-8");
		bind_textdomain_codeset("iso_3166-1", "UTF-8");
	}
	locale_t loc = (locale_t)0;
	char dec[8] = ".";
	if (langs[k].locale) {
		locale_t base = duplocale(LC_GLOBAL_LOCALE);
		loc = base ? newlocale(LC_MESSAGES_MASK | LC_TIME_MASK, langs[k].locale, base) : base;
		if (!loc) {
			if (base)
				freelocale(base);
			if (!asked)
				return tl_lang_set("en", NULL, err);   /* the environment's wish, not ours */
			return tl_fail(err, NULL, 0, 0, "--lang %s needs the %s locale (Debian: locales-all)",
			               code, langs[k].locale);
		}
		locale_t num = newlocale(LC_NUMERIC_MASK, langs[k].locale, (locale_t)0);
		if (num) {
			const char *r = nl_langinfo_l(RADIXCHAR, num);
			if (r && *r && strlen(r) < sizeof dec)
				strcpy(dec, r);
			freelocale(num);
		}
	}
	uselocale(loc ? loc : LC_GLOBAL_LOCALE);
	if (shown)
		freelocale(shown);
	shown = loc;
	current = k;
	strcpy(decimal, dec);
	return 0;
}

const char *tl_lang(void)
{
	return langs[current].code;
}

int tl_lang_rtl(void)
{
	return langs[current].rtl;
}

const char *tl_lang_list(void)
{
	return "en, ru, zh, ar, fr, es";
}

/* English is the catalogs' source: nothing to look up (and a C locale in the
 * environment must not turn a set language back to it). */
const char *tl_gettext(const char *msgid)
{
	return current == 0 ? msgid : dgettext("tally", msgid);
}

const char *tl_ngettext(const char *one, const char *many, unsigned long n)
{
	return current == 0 ? (n == 1 ? one : many) : dngettext("tally", one, many, n);
}

/* Names iso-codes' own catalogs translate badly or not at all in some of our
 * languages: 4.15 renamed Turkey to Türkiye and only its Chinese catalog
 * followed; the short "Iran" is translated in Chinese alone, and the ISO names
 * come inverted ("Corée, République de", "Russie, Fédération de", "Palestine,
 * État de"). tally's catalogs carry these and are asked first; only these are
 * looked up there, so that a country never meets an interface word of the same
 * spelling. */
static const char *const own_names[] = {
	N_("Türkiye"), N_("Iran"), N_("Republic of Korea"), N_("Russian Federation"), N_("Palestine"),
};

const char *tl_country_name(const char *name, const char *iso_name)
{
	const char *s;
	if (current == 0)
		return name;
	for (size_t i = 0; i < sizeof own_names / sizeof own_names[0]; i++)
		if (strcmp(name, own_names[i]) == 0 && (s = dgettext("tally", name)) != name)
			return s;
	if ((s = dgettext("iso_3166-1", name)) != name)
		return s;
	if (iso_name && strcmp(iso_name, name) != 0 && (s = dgettext("iso_3166-1", iso_name)) != iso_name)
		return s;
	return name;
}

/* The first letter of s in upper or lower case (g_unichar_totitle: "Ǆ" -> "ǅ"),
 * the rest as it is, into buf. */
static const char *first_letter(const char *s, int upper, char *buf, size_t n)
{
	char head[8];
	gunichar c = g_utf8_get_char_validated(s, -1);
	if (n == 0)
		return buf;
	if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0) {
		snprintf(buf, n, "%s", s);
		return buf;
	}
	c = upper ? g_unichar_totitle(c) : g_unichar_tolower(c);
	head[g_unichar_to_utf8(c, head)] = 0;
	snprintf(buf, n, "%s%s", head, g_utf8_next_char(s));
	return buf;
}

const char *tl_capitalize(const char *s, char *buf, size_t n)
{
	return first_letter(s, 1, buf, n);
}

/* The C library's month names: ALTMON is the name standing alone (Russian
 * "Апрель"), MON the form inside a date ("10 апреля"). glibc capitalises the
 * Russian ALTMON but not MON; the language writes its months mid-sentence in
 * the case of MON ("April" in English, "апрель" in Russian, "avril" in French). */
const char *tl_month_name(int month, int genitive, int start, char *buf, size_t n)
{
	static const nl_item alt[] = { ALTMON_1, ALTMON_2, ALTMON_3, ALTMON_4, ALTMON_5, ALTMON_6,
	                               ALTMON_7, ALTMON_8, ALTMON_9, ALTMON_10, ALTMON_11, ALTMON_12 };
	static const nl_item mon[] = { MON_1, MON_2, MON_3, MON_4, MON_5, MON_6,
	                               MON_7, MON_8, MON_9, MON_10, MON_11, MON_12 };
	static locale_t c_time = (locale_t)0;       /* English: C's names, whatever the environment */
	locale_t loc = shown;
	if (!loc && !c_time)
		c_time = newlocale(LC_TIME_MASK, "C", (locale_t)0);
	if (!loc)
		loc = c_time;
	if (month < 1 || month > 12 || !loc) {
		if (n) buf[0] = 0;
		return buf;
	}
	const char *inside = nl_langinfo_l(mon[month - 1], loc);
	const char *name = genitive ? inside : nl_langinfo_l(alt[month - 1], loc);
	gunichar c = g_utf8_get_char_validated(inside, -1);
	int upper = start || (c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_isupper(c));
	return first_letter(name, upper, buf, n);
}

const char *tl_decimal_sign(void)
{
	return decimal;
}

/* Fills the first {q} and {year} of fmt. */
static void fill_quarter(const char *fmt, int q, int year, char *buf, size_t n)
{
	size_t o = 0;
	for (const char *s = fmt; *s && o + 12 < n; ) {
		if (strncmp(s, "{q}", 3) == 0) {
			o += (size_t)snprintf(buf + o, n - o, "%d", q);
			s += 3;
		} else if (strncmp(s, "{year}", 6) == 0) {
			o += (size_t)snprintf(buf + o, n - o, "%d", year);
			s += 6;
		} else
			buf[o++] = *s++;
	}
	buf[o] = 0;
}

/* tl_date_label in the reader's language: the C library's month names through
 * formats the catalogs give ("%e %B %Y": "10 апреля 2023", "2023年4月10日"). */
const char *tl_date_words(tl_date d, char *buf, size_t n)
{
	struct tm tm;
	char tmp[128];
	if (n == 0)
		return buf;
	if (current == 0 || tl_date_prec(d) == TL_PREC_YEAR) {
		tl_date_label(d, buf, n);
		return buf;
	}
	if (tl_date_prec(d) == TL_PREC_QUARTER) {
		fill_quarter(tl_gettext("Q{q} {year}"), tl_date_quarter(d), tl_date_year(d), buf, n);
		return buf;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = tl_date_year(d) - 1900;
	tm.tm_mon = tl_date_month(d) - 1;
	tm.tm_mday = tl_date_day(d) ? tl_date_day(d) : 1;
	const char *fmt = tl_date_prec(d) == TL_PREC_DAY ? tl_gettext("%e %B %Y") : tl_gettext("%OB %Y");
	if (strftime(tmp, sizeof tmp, fmt, &tm) == 0) {
		tl_date_label(d, buf, n);
		return buf;
	}
	/* a month's name in the case the language gives it mid-sentence (glibc's
	 * Russian %OB is capitalised) */
	char mon[64];
	tl_month_name(tl_date_month(d), 1, 0, mon, sizeof mon);
	gunichar c = g_utf8_get_char_validated(mon, -1);
	int upper = c != (gunichar)-1 && c != (gunichar)-2 && g_unichar_isupper(c);
	return first_letter(tmp[0] == ' ' ? tmp + 1 : tmp, upper, buf, n);
}
