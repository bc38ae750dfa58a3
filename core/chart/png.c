/* PNG output through libpng at a fast compression level.
 *
 * cairo_surface_write_to_png compresses at zlib's default level, which is most
 * of the time a chart takes to save; flat chart colours compress almost as well
 * at level 3 with the "up" filter, in a fraction of the time. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cairo.h>
#include "chart_int.h"

/* libpng prints its errors; the caller reports the failure with the file's name. */
static void png_quiet_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void png_quiet_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Writes an RGB24 or ARGB32 image surface to f; 0, or -1 on failure. */
int png_write_fast(cairo_surface_t *s, FILE *f)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	cairo_format_t fmt = cairo_image_surface_get_format(s);
	int alpha = fmt == CAIRO_FORMAT_ARGB32;
	png_structp png = NULL;
	png_infop info = NULL;
	unsigned char *row = NULL;
	int rc = -1;

	if (fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32) return -1;
	cairo_surface_flush(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	if (!data || !(row = malloc((size_t)w * 4)) ) goto out;
	if (!(png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_quiet_error, png_quiet_warning))) goto out;
	if (!(info = png_create_info_struct(png))) goto out;
	if (setjmp(png_jmpbuf(png))) goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, alpha ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char *o = row;
		for (int x = 0; x < w; x++) {
			uint32_t p = px[x];
			unsigned a = alpha ? p >> 24 : 255, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
			if (alpha && a && a < 255) {   /* cairo stores premultiplied colour */
				r = (r * 255 + a / 2) / a;
				g = (g * 255 + a / 2) / a;
				b = (b * 255 + a / 2) / a;
			}
			*o++ = (unsigned char)r;
			*o++ = (unsigned char)g;
			*o++ = (unsigned char)b;
			if (alpha) *o++ = (unsigned char)a;
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	rc = 0;
out:
	if (png) png_destroy_write_struct(&png, info ? &info : NULL);
	if (rc == 0 && (fflush(f) != 0 || ferror(f))) rc = -1;
	free(row);
	return rc;
}
