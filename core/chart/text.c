/* Text for charts and reports: every pango call of the engine is in this file.
 *
 * Labels are measured, wrapped, ellipsized and drawn with pangocairo, so that
 * shaping, right-to-left runs and font fallback (fontconfig) come for free. Sizes
 * are absolute, in user units (points), and hinting is off: a layout measures the
 * same on a PNG, a PDF and an SVG surface and the output is deterministic. */
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <math.h>
#include "chart_int.h"
#include "tally/suggest.h"

/* ---- contexts ------------------------------------------------------------------ */

/* One font map for the whole process: building it loads the fontconfig
 * configuration and scans fonts, which costs more than drawing a chart. */
static PangoFontMap *fontmap;

void chart_fonts_begin(void)
{
	if (!fontmap)
		fontmap = pango_cairo_font_map_new();
}

/* A pango context for drawing on cr, with font options fixed explicitly rather
 * than inherited from the surface, so that PNG, PDF and SVG lay out identically. */
PangoContext *tx_context(cairo_t *cr)
{
	if (!fontmap && !(fontmap = pango_cairo_font_map_new()))
		return NULL;
	PangoContext *pc = pango_font_map_create_context(fontmap);
	if (!pc)
		return NULL;
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_subpixel_order(fo, CAIRO_SUBPIXEL_ORDER_DEFAULT);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(pc, FALSE);
	/* one unit is one point: markup sizes (<span size=...>) then mean points, as
	 * the absolute sizes of the theme do */
	pango_cairo_context_set_resolution(pc, 72);
	pango_cairo_update_context(cr, pc);
	/* a right-to-left language sets every paragraph right to left (tx_layout): a
	 * line of item details that starts with an id in Latin letters still reads
	 * from the right, as the lines around it do */
	if (tl_lang_rtl())
		pango_context_set_base_dir(pc, PANGO_DIRECTION_RTL);
	return pc;
}

void tx_context_free(PangoContext *pc)
{
	if (pc)
		g_object_unref(pc);
}

/* ---- layouts -------------------------------------------------------------------- */

PangoLayout *tx_layout(const dctx *d, const char *s, double size, int bold, int markup)
{
	PangoLayout *l = pango_layout_new(d->pc);
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, d->th->font[0] ? d->th->font : "DejaVu Sans");
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (pango_context_get_base_dir(d->pc) == PANGO_DIRECTION_RTL)
		pango_layout_set_auto_dir(l, FALSE);
	if (!s)
		s = "";
	if (markup && pango_parse_markup(s, -1, 0, NULL, NULL, NULL, NULL)) {
		pango_layout_set_markup(l, s, -1);
	} else {
		/* chart text is labels and figures: figures of one width (OpenType tnum)
		 * line up in columns and do not jitter along an axis */
		PangoAttrList *al = pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_font_features_new("tnum 1"));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
		pango_layout_set_text(l, s, -1);
	}
	return l;
}

/* Pango flips left and right alignment for a paragraph whose direction it found
 * against the context's (auto_dir); callers mean the visual side (category labels
 * hug the axis whatever the script), so the flip is undone here by looking at the
 * direction pango resolved. */
void tx_fit(PangoLayout *l, double maxw, int maxlines, int align)
{
	if (maxw > 0) {
		pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
		if (maxlines > 0) {
			pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
			pango_layout_set_height(l, -maxlines);
		}
	}
	PangoAlignment a = align == TX_CENTER ? PANGO_ALIGN_CENTER
	                 : align == TX_RIGHT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	PangoLayoutLine *line = pango_layout_get_line_readonly(l, 0);
	PangoDirection base = pango_context_get_base_dir(pango_layout_get_context(l));
	int rtl_base = base == PANGO_DIRECTION_RTL || base == PANGO_DIRECTION_WEAK_RTL;
	if (line && pango_layout_get_auto_dir(l) && a != PANGO_ALIGN_CENTER
	    && (line->resolved_dir == PANGO_DIRECTION_RTL) != rtl_base)
		a = a == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
	pango_layout_set_alignment(l, a);
}

void tx_size(PangoLayout *l, double *w, double *h)
{
	PangoRectangle lr;
	pango_layout_get_extents(l, NULL, &lr);
	if (w)
		*w = (double)lr.width / PANGO_SCALE;
	if (h)
		*h = (double)lr.height / PANGO_SCALE;
}

int tx_lines(PangoLayout *l)
{
	return pango_layout_get_line_count(l);
}

/* A bisection on the width: at most a dozen relayouts of a short title. */
void tx_balance(PangoLayout *l)
{
	int w = pango_layout_get_width(l), n = pango_layout_get_line_count(l);
	if (w <= 0 || n < 2 || pango_layout_is_ellipsized(l))
		return;
	int lo = w / (n + 1), hi = w;
	while (hi - lo > PANGO_SCALE) {
		int mid = lo + (hi - lo) / 2;
		pango_layout_set_width(l, mid);
		if (pango_layout_get_line_count(l) > n || pango_layout_is_ellipsized(l))
			lo = mid;
		else
			hi = mid;
	}
	pango_layout_set_width(l, hi);
}

int tx_ellipsized(PangoLayout *l)
{
	return pango_layout_is_ellipsized(l);
}

/* ---- right to left ---------------------------------------------------------------- */

/* A right-to-left page or chart is drawn as its left-to-right self seen in a
 * mirror: tx_mirror flips the box's x axis, so that the axis, the bars, the
 * columns of a table, the header and footer and every left edge change sides
 * with no chart type knowing. Text must not be mirrored: tx_draw undoes the flip
 * around each text's anchor and moves the text to the other side of it (a label
 * that ended at the axis now starts there), its lines aligned to the other side. */
int tx_mirrored(cairo_t *cr)
{
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	return m.xx * m.yy - m.xy * m.yx < 0;
}

void tx_mirror(cairo_t *cr, double x0, double w)
{
	cairo_translate(cr, 2 * x0 + w, 0);
	cairo_scale(cr, -1, 1);
}

/* The anchor refers to the logical box (line height included), not the ink, so
 * that labels of one row share a baseline whatever their letters. */
void tx_draw(const dctx *d, PangoLayout *l, double x, double y, int anchor,
             tl_rgb color, double angle)
{
	cairo_t *cr = d->cr;
	PangoAlignment a = pango_layout_get_alignment(l);
	int mirrored = tx_mirrored(cr);
	if (mirrored && a != PANGO_ALIGN_CENTER)   /* before measuring: the lines move */
		pango_layout_set_alignment(l, a == PANGO_ALIGN_LEFT ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	PangoRectangle lr;
	pango_layout_get_extents(l, NULL, &lr);
	double lx = (double)lr.x / PANGO_SCALE, ly = (double)lr.y / PANGO_SCALE;
	double lw = (double)lr.width / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
	double fx = (anchor & 3) == TX_CENTER ? 0.5 : (anchor & 3) == TX_RIGHT ? 1.0 : 0.0;
	double fy = (anchor & 12) == TX_MIDDLE ? 0.5 : (anchor & 12) == TX_BOTTOM ? 1.0 : 0.0;
	cairo_save(cr);
	cairo_translate(cr, x, y);
	if (mirrored) {
		cairo_scale(cr, -1, 1);
		fx = 1 - fx;
	}
	if (angle != 0)
		cairo_rotate(cr, angle);
	cairo_move_to(cr, -lx - fx * lw, -ly - fy * lh);
	set_rgb(cr, color);
	pango_cairo_show_layout(cr, l);
	cairo_restore(cr);
	if (mirrored)
		pango_layout_set_alignment(l, a);
}

double tx_width(const dctx *d, const char *s, double size, int bold)
{
	PangoLayout *l = tx_layout(d, s, size, bold, 0);
	double w;
	tx_size(l, &w, NULL);
	g_object_unref(l);
	return w;
}

double tx_line_height(const dctx *d, double size)
{
	PangoLayout *l = tx_layout(d, "Ag", size, 0, 0);
	double h;
	tx_size(l, NULL, &h);
	g_object_unref(l);
	return h;
}

double tx_put(const dctx *d, const char *s, double size, int bold, tl_rgb color,
              double x, double y, double maxw, int maxlines, int anchor)
{
	if (!s || !*s)
		return 0;
	PangoLayout *l = tx_layout(d, s, size, bold, 0);
	double h;
	tx_fit(l, maxw, maxlines, anchor & 3);
	tx_size(l, NULL, &h);
	tx_draw(d, l, x, y, anchor, color, 0);
	g_object_unref(l);
	return h;
}

/* ---- simple emphasis to markup ----------------------------------------------------- */

/* Appends s[0..n) to the growing buffer *b (length *len, capacity *cap). */
static int buf_add(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 256);
		while (nc < *len + n + 1)
			nc *= 2;
		char *nb = realloc(*b, nc);
		if (!nb)
			return -1;
		*b = nb;
		*cap = nc;
	}
	memcpy(*b + *len, s, n);
	*len += n;
	(*b)[*len] = 0;
	return 0;
}

/* Turns **bold** and *italic* into <b> and <i>; escape says whether the other
 * characters are markup (kept) or plain text (escaped). Unpaired stars stay. */
static char *emphasis(const char *s, int escape)
{
	char *b = NULL;
	size_t len = 0, cap = 0;
	int ok = buf_add(&b, &len, &cap, "", 0);
	for (const char *p = s; *p && ok == 0; ) {
		if (p[0] == '*' && p[1] == '*' && p[2] && p[2] != ' ') {
			const char *e = strstr(p + 2, "**");
			if (e && e[-1] != ' ') {
				char *inner = strndup(p + 2, (size_t)(e - p - 2));
				char *in = inner ? emphasis(inner, escape) : NULL;
				free(inner);
				if (!in) { ok = -1; break; }
				ok = buf_add(&b, &len, &cap, "<b>", 3) | buf_add(&b, &len, &cap, in, strlen(in))
				   | buf_add(&b, &len, &cap, "</b>", 4);
				free(in);
				p = e + 2;
				continue;
			}
		}
		if (p[0] == '*' && p[1] && p[1] != ' ' && p[1] != '*') {
			const char *e = strchr(p + 1, '*');
			if (e && e[-1] != ' ' && e[1] != '*') {
				char *in = escape ? g_markup_escape_text(p + 1, e - p - 1) : g_strndup(p + 1, e - p - 1);
				ok = buf_add(&b, &len, &cap, "<i>", 3) | buf_add(&b, &len, &cap, in, strlen(in))
				   | buf_add(&b, &len, &cap, "</i>", 4);
				g_free(in);
				p = e + 1;
				continue;
			}
		}
		size_t n = 1;
		while (p[n] && p[n] != '*')
			n++;
		if (escape) {
			char *esc = g_markup_escape_text(p, (gssize)n);
			ok = buf_add(&b, &len, &cap, esc, strlen(esc));
			g_free(esc);
		} else {
			ok = buf_add(&b, &len, &cap, p, n);
		}
		p += n;
	}
	if (ok != 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* A copy of s with every "&" that starts no entity (&amp; &lt; &#38; &#x26;) written
 * as "&amp;": in "<i>Note:</i> A & B" the ampersand is text, and the markup around
 * it should still count. */
static char *bare_amps(const char *s)
{
	size_t n = strlen(s), extra = 0;
	for (const char *p = s; *p; p++)
		if (*p == '&') extra += 4;
	char *out = malloc(n + extra + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			const char *q = p + 1;
			if (*q == '#') {
				q++;
				if (*q == 'x' || *q == 'X') { q++; while (isxdigit((unsigned char)*q)) q++; }
				else while (isdigit((unsigned char)*q)) q++;
			} else {   /* markup knows XML's five named entities, no others */
				static const char *const named[] = { "amp;", "lt;", "gt;", "quot;", "apos;" };
				for (size_t k = 0; k < sizeof named / sizeof *named; k++)
					if (!strncmp(q, named[k], strlen(named[k]))) { q += strlen(named[k]) - 1; break; }
			}
			if (!(*q == ';' && q > p + 1 && q[-1] != '#' && q[-1] != 'x')) {
				memcpy(o, "&amp;", 5);
				o += 5;
				continue;
			}
		}
		*o++ = *p;
	}
	*o = 0;
	return out;
}

/* Whether text means to be markup: a "<" that opens or closes a tag. */
static int has_tags(const char *text)
{
	for (const char *p = strchr(text, '<'); p; p = strchr(p + 1, '<'))
		if (isalpha((unsigned char)p[1]) || (p[1] == '/' && isalpha((unsigned char)p[2])))
			return 1;
	return 0;
}

/* Text written by a script is either pango markup (it parses, bare ampersands
 * read as text) or plain text where "<" and "&" mean themselves; both get the
 * **bold** shorthand. NULL only when memory ran out: markup that could not be
 * tried is not taken for plain text (its tags would print as written). */
char *chart_text_markup(const char *text)
{
	if (!text)
		text = "";
	char *a = bare_amps(text), *m = a ? emphasis(a, 0) : NULL;
	free(a);
	if (!m)
		return NULL;
	if (pango_parse_markup(m, -1, 0, NULL, NULL, NULL, NULL))
		return m;
	free(m);
	return emphasis(text, 1);
}

int chart_markup_error(const char *text, char *msg, size_t n)
{
	GError *e = NULL;
	int rc = 0;
	if (!text || !has_tags(text))
		return 0;
	char *a = bare_amps(text), *m = a ? emphasis(a, 0) : NULL;
	free(a);
	if (m && !pango_parse_markup(m, -1, 0, NULL, NULL, NULL, &e)) {
		snprintf(msg, n, "%s", e && e->message ? e->message : "not valid markup");
		rc = -1;
	}
	if (e)
		g_error_free(e);
	free(m);
	return rc;
}

int chart_font_check(const char *family, char *msg, size_t n)
{
	PangoFontFamily **fams = NULL;
	int nfams = 0, found = 0;
	if (!fontmap && !(fontmap = pango_cairo_font_map_new()))
		return 0;   /* no font map: nothing to check against, pango falls back */
	pango_font_map_list_families(fontmap, &fams, &nfams);
	const char **names = malloc((size_t)(nfams > 0 ? nfams : 1) * sizeof *names);
	for (int i = 0; i < nfams; i++) {
		const char *name = pango_font_family_get_name(fams[i]);
		if (names) names[i] = name;
		if (g_ascii_strcasecmp(name, family) == 0) found = 1;
	}
	if (!found) {
		char hint[300] = "";
		if (names) tl_did_you_mean(hint, sizeof hint, family, names, (size_t)nfams);
		snprintf(msg, n, "unknown font '%s'%s (fc-list : family lists the installed ones)", family, hint);
	}
	free(names);
	g_free(fams);
	return found ? 0 : -1;
}
