/* Colours and the default theme: the Okabe-Ito palette, which stays distinct for
 * the common forms of colour blindness, and a single-hue ramp for heatmaps. */
#include <stdio.h>
#include <string.h>
#include <ctype.h>
#include <math.h>
#include "chart_int.h"

static tl_rgb hex(unsigned v)
{
	tl_rgb c = { ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0 };
	return c;
}

/* Okabe-Ito, reordered so the first colours read best as thin lines on white:
 * blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black. */
static const unsigned okabe_ito[] = {
	0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00, 0xF0E442, 0x000000
};

void chart_theme_defaults(tl_theme *th)
{
	memset(th, 0, sizeof *th);
	snprintf(th->font, sizeof th->font, "%s", "DejaVu Sans");
	th->title_size = 15;
	th->subtitle_size = 10.5;
	th->label_size = 9;
	th->value_size = 8.5;
	th->tick_size = 8.5;
	th->note_size = 8;
	th->legend_size = 9;
	th->background = hex(0xFFFFFF);
	th->text = hex(0x1A1A1A);
	th->muted = hex(0x5F5F5F);         /* 6.4:1 on white */
	th->grid = hex(0xDDDDDD);
	th->axis = hex(0x333333);
	th->npalette = sizeof okabe_ito / sizeof okabe_ito[0];
	for (size_t i = 0; i < th->npalette; i++)
		th->palette[i] = hex(okabe_ito[i]);
	th->heat_low = hex(0xF4F8FB);
	th->heat_high = hex(0x08306B);
	th->other = hex(0x8C8C8C);        /* 3.4:1 on white: a fill, not text */
	th->margin_top = th->margin_bottom = 14;
	th->margin_left = th->margin_right = 16;
	th->line_width = 2;
	th->marker_size = 3.2;
	th->bar_gap = 0.25;
	th->label_max = 0.38;
}

tl_rgb palette_color(const tl_theme *th, size_t i)
{
	if (th->npalette == 0)
		return hex(0x0072B2);
	return th->palette[i % th->npalette];
}

int chart_parse_color(const char *s, tl_rgb *out)
{
	unsigned v = 0;
	size_t n;
	if (!s || s[0] != '#')
		return -1;
	n = strlen(s + 1);
	if (n != 3 && n != 6)
		return -1;
	for (size_t i = 1; i <= n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	sscanf(s + 1, "%x", &v);
	if (n == 3)
		v = ((v & 0xF00) << 12) | ((v & 0xF00) << 8) | ((v & 0x0F0) << 8) | ((v & 0x0F0) << 4)
		  | ((v & 0x00F) << 4) | (v & 0x00F);
	*out = hex(v);
	return 0;
}

void set_rgb(cairo_t *cr, tl_rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

void set_rgba(cairo_t *cr, tl_rgb c, double a)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, a);
}

tl_rgb mix_rgb(tl_rgb a, tl_rgb b, double t)
{
	tl_rgb c = { a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
	return c;
}

/* WCAG 2 relative luminance of an sRGB colour. */
static double luminance(tl_rgb c)
{
	double v[3] = { c.r, c.g, c.b };
	for (int i = 0; i < 3; i++)
		v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

double chart_contrast(tl_rgb a, tl_rgb b)
{
	double la = luminance(a), lb = luminance(b);
	return (fmax(la, lb) + 0.05) / (fmin(la, lb) + 0.05);
}

/* Pure black, not the theme's near-black: on a mid-tone only black or white
 * reaches 4.5:1, and black does down to a luminance white cannot. */
tl_rgb chart_text_on(tl_rgb bg)
{
	tl_rgb white = hex(0xFFFFFF), black = hex(0x000000);
	return chart_contrast(white, bg) >= chart_contrast(black, bg) ? white : black;
}

tl_rgb text_on(tl_rgb bg)
{
	return chart_text_on(bg);
}
