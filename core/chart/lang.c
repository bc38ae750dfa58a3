/* The reader's language (see tally/lang.h). The C library keeps the locale per
 * thread, and gettext reads it from there: this file is the one place that
 * switches it, for the thread that draws. */
#include <locale.h>
#include <langinfo.h>
#include <libintl.h>
#include <stdlib.h>
#include <string.h>
#include "tally/lang.h"

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

const char *tl_country_name(const char *name)
{
	return current == 0 ? name : dgettext("iso_3166-1", name);
}

const char *tl_decimal_sign(void)
{
	return decimal;
}
