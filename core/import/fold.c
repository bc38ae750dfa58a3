/* Folding text for matching, and telling what kind of file an input is.
 *
 * Cue lexicons and place names are written plainly ("turkiye", "almaty"); the
 * text may say "Türkiye’s", "ALMATY" or "Almatı". GLib (which poppler brings)
 * knows Unicode: a compatibility decomposition splits letters from their marks,
 * the marks go, case is folded. A few letters that do not decompose, and the
 * typographic punctuation newsletters use, are mapped by hand. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <glib.h>
#include "tally/import.h"

static const char *plain(gunichar c)
{
	switch (c) {
	case 0x2018: case 0x2019: case 0x201B: case 0x2032: case 0x00B4: case 0x0060: return "'";
	case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: return "-";
	case 0x00A0: case 0x2007: case 0x202F: case 0x2009: case 0x200A: return " ";
	case 0x200B: case 0x200C: case 0x200D: case 0xFEFF: case 0x00AD: return "";
	case 0x0131: return "i";   /* dotless i (Turkish) */
	case 0x0142: case 0x0141: return "l";
	case 0x00F8: case 0x00D8: return "o";
	case 0x0111: case 0x0110: return "d";
	case 0x00E6: case 0x00C6: return "ae";
	case 0x0153: case 0x0152: return "oe";
	case 0x00FE: return "th";
	case 0x03B3: return "y";   /* Greek gamma where a PDF font confused it with y */
	case 0x2026: return "...";
	default: return NULL;
	}
}

char *imp_fold(const char *s, size_t n, size_t *len)
{
	if (!g_utf8_validate(s, (gssize)n, NULL))
		return NULL;
	char *d = g_utf8_normalize(s, (gssize)n, G_NORMALIZE_NFKD);
	if (!d)
		return NULL;
	GString *out = g_string_sized_new(strlen(d) + 8);
	for (const char *p = d; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		const char *m = plain(c);
		if (m) {
			g_string_append(out, m);
			continue;
		}
		GUnicodeType t = g_unichar_type(c);
		if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK)
			continue;
		if (c < 0x80) {
			g_string_append_c(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
			continue;
		}
		char *f = g_utf8_casefold(p, g_utf8_next_char(p) - p);
		g_string_append(out, f);
		g_free(f);
	}
	g_free(d);
	/* the caller frees with free(), so hand back malloc'ed memory */
	char *r = malloc(out->len + 1);
	if (r) {
		memcpy(r, out->str, out->len + 1);
		*len = out->len;
	}
	g_string_free(out, TRUE);
	return r;
}

tl_impformat imp_sniff(const char *path, const char *head, size_t n)
{
	size_t i = 0, pl = strlen(path);
	if (n >= 5 && memcmp(head, "%PDF-", 5) == 0)
		return TL_IMP_PDF;
	if (n >= 3 && (unsigned char)head[0] == 0xEF && (unsigned char)head[1] == 0xBB && (unsigned char)head[2] == 0xBF)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i < n && head[i] == '<') {
		size_t m = n - i < 512 ? n - i : 512;
		for (size_t k = i; k + 5 <= i + m; k++)
			if (!strncasecmp(head + k, "<html", 5) || !strncasecmp(head + k, "<!doc", 5) ||
			    !strncasecmp(head + k, "<head", 5) || !strncasecmp(head + k, "<body", 5))
				return TL_IMP_HTML;
	}
	if (pl > 4 && !strcasecmp(path + pl - 4, ".pdf"))
		return TL_IMP_PDF;      /* so that a broken PDF is called one */
	if ((pl > 5 && !strcasecmp(path + pl - 5, ".html")) || (pl > 4 && !strcasecmp(path + pl - 4, ".htm")))
		return TL_IMP_HTML;
	return TL_IMP_TEXT;
}

const char *imp_format_name(tl_impformat f)
{
	return f == TL_IMP_PDF ? "pdf" : f == TL_IMP_HTML ? "html" : "text";
}
