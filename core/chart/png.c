/* PNG output: the PNG container written here, the pixels deflated by zlib on two
 * cores at once.
 *
 * Saving the image is most of the time a chart takes (a 1200 x 675 chart is 2.4
 * MB of scanlines). The scanlines are cut in two halves and both are deflated at
 * the same time, as pigz does: the first half is an ordinary zlib stream that
 * ends on a byte boundary (Z_SYNC_FLUSH) instead of finishing; the second is a
 * raw deflate stream that starts from the last 32 KiB of the first half as its
 * dictionary, so that it compresses as if it had followed on, and finishes. The
 * two together are one zlib stream; its Adler-32 is the two halves' sums combined
 * (adler32_combine). The cut is always made, whatever the machine has, so that the
 * bytes written do not depend on the cores or on a thread starting: without a
 * second thread the second half is deflated after the first, to the same bytes.
 *
 * Flat chart colours compress well at level 3 with the "up" filter (each byte
 * less the byte above it). */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <cairo.h>
#include "chart_int.h"
#include "tally/thread.h"

enum { LEVEL = 3, WINDOW = 32768, BLOCK = 1 << 16 };

/* One half of the scanlines and what deflating it made. */
typedef struct {
	const unsigned char *data;   /* the surface */
	int w, stride, alpha;
	int y0, y1;                  /* the rows of this half */
	int raw;                     /* the second half: raw deflate, a dictionary, Z_FINISH */
	unsigned char *out;          /* the deflated bytes */
	size_t len, cap;
	uLong adler;                 /* Adler-32 of this half's scanlines */
	int failed;
} half;

/* Row y as PNG scanline bytes: RGB or RGBA, colour no longer premultiplied. */
static void row_bytes(const half *h, int y, unsigned char *o)
{
	const uint32_t *px = (const uint32_t *)(const void *)(h->data + (size_t)y * (size_t)h->stride);
	for (int x = 0; x < h->w; x++) {
		uint32_t p = px[x];
		unsigned a = h->alpha ? p >> 24 : 255, r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
		if (h->alpha && a && a < 255) {
			r = (r * 255 + a / 2) / a;
			g = (g * 255 + a / 2) / a;
			b = (b * 255 + a / 2) / a;
		}
		*o++ = (unsigned char)r;
		*o++ = (unsigned char)g;
		*o++ = (unsigned char)b;
		if (h->alpha)
			*o++ = (unsigned char)a;
	}
}

/* Row y filtered ("up"): the filter type byte, then each byte less the byte
 * above it. cur and prev hold the unfiltered rows y and y - 1 (prev all zero for
 * the first row); out gets 1 + bpr bytes. */
static void row_filtered(const half *h, int y, unsigned char *cur, const unsigned char *prev,
                         size_t bpr, unsigned char *out)
{
	row_bytes(h, y, cur);
	out[0] = 2;
	for (size_t i = 0; i < bpr; i++)
		out[1 + i] = (unsigned char)(cur[i] - prev[i]);
}

/* Deflates n bytes of in with flush, growing h->out as it goes. */
static int put(half *h, z_stream *z, const unsigned char *in, size_t n, int flush)
{
	z->next_in = (Bytef *)(uintptr_t)in;
	z->avail_in = (uInt)n;
	do {
		if (h->cap - h->len < 4096) {
			size_t cap = h->cap ? h->cap * 2 : BLOCK;
			unsigned char *p = realloc(h->out, cap);
			if (!p)
				return -1;
			h->out = p;
			h->cap = cap;
		}
		z->next_out = h->out + h->len;
		z->avail_out = (uInt)(h->cap - h->len);
		int rc = deflate(z, flush);
		h->len = h->cap - z->avail_out;
		if (rc == Z_STREAM_ERROR)
			return -1;
		if (flush == Z_FINISH && rc == Z_STREAM_END)
			return 0;
	} while (z->avail_in > 0 || z->avail_out == 0 || flush == Z_FINISH);
	return 0;
}

static void *deflate_half(void *arg)
{
	half *h = arg;
	size_t bpr = (size_t)h->w * (h->alpha ? 4 : 3), sl = bpr + 1;
	int per = (int)(BLOCK / sl) + 1;   /* scanlines per deflate call */
	unsigned char *rows = malloc(sl * (size_t)per), *cur = calloc(1, bpr), *prev = calloc(1, bpr);
	z_stream z;
	int zok = 0;
	memset(&z, 0, sizeof z);
	h->adler = adler32(0L, Z_NULL, 0);
	if (!rows || !cur || !prev)
		goto fail;
	if (deflateInit2(&z, LEVEL, Z_DEFLATED, h->raw ? -15 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		goto fail;
	zok = 1;
	int y = h->y0;
	if (h->raw && y > 0) {
		/* the dictionary: the first half's last scanlines, up to 32 KiB of them */
		int back = (int)((WINDOW + sl - 1) / sl), d0 = y - back < 0 ? 0 : y - back;
		unsigned char *dict = malloc(sl * (size_t)(y - d0));
		if (!dict)
			goto fail;
		if (d0 > 0)
			row_bytes(h, d0 - 1, prev);
		for (int r = d0; r < y; r++) {
			row_filtered(h, r, cur, prev, bpr, dict + sl * (size_t)(r - d0));
			memcpy(prev, cur, bpr);
		}
		size_t dn = sl * (size_t)(y - d0), skip = dn > WINDOW ? dn - WINDOW : 0;
		int rc = deflateSetDictionary(&z, dict + skip, (uInt)(dn - skip));
		free(dict);
		if (rc != Z_OK)
			goto fail;
	}
	while (y < h->y1) {
		int n = h->y1 - y < per ? h->y1 - y : per;
		for (int r = 0; r < n; r++, y++) {
			row_filtered(h, y, cur, prev, bpr, rows + sl * (size_t)r);
			unsigned char *t = prev; prev = cur; cur = t;
		}
		h->adler = adler32(h->adler, rows, (uInt)(sl * (size_t)n));
		int flush = y < h->y1 ? Z_NO_FLUSH : h->raw ? Z_FINISH : Z_SYNC_FLUSH;
		if (put(h, &z, rows, sl * (size_t)n, flush) < 0)
			goto fail;
	}
	goto out;
fail:
	h->failed = 1;
out:
	if (zok)
		deflateEnd(&z);
	free(rows);
	free(cur);
	free(prev);
	return NULL;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One chunk: its length, type, the parts of its data in turn, and the CRC of type
 * and data. */
static int chunk(FILE *f, const char *type, const unsigned char *const *part, const size_t *n, int nparts)
{
	unsigned char b[4];
	size_t len = 0;
	for (int i = 0; i < nparts; i++)
		len += n[i];
	if (len > 0x7fffffffu)
		return -1;
	be32(b, (uint32_t)len);
	uLong crc = crc32(0L, (const Bytef *)type, 4);
	if (fwrite(b, 1, 4, f) != 4 || fwrite(type, 1, 4, f) != 4)
		return -1;
	for (int i = 0; i < nparts; i++) {
		if (n[i] == 0)
			continue;   /* (crc32 of a null part would start the sum again) */
		if (fwrite(part[i], 1, n[i], f) != n[i])
			return -1;
		crc = crc32(crc, part[i], (uInt)n[i]);
	}
	be32(b, (uint32_t)crc);
	return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

/* Writes an RGB24 or ARGB32 image surface to f; 0, or -1 on failure (errno says
 * why where it can). */
int png_write_fast(cairo_surface_t *s, FILE *f)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	cairo_format_t fmt = cairo_image_surface_get_format(s);
	if ((fmt != CAIRO_FORMAT_RGB24 && fmt != CAIRO_FORMAT_ARGB32) || w <= 0 || h <= 0)
		return -1;
	cairo_surface_flush(s);
	const unsigned char *data = cairo_image_surface_get_data(s);
	if (!data)
		return -1;
	int alpha = fmt == CAIRO_FORMAT_ARGB32, mid = h / 2;
	half a = { data, w, cairo_image_surface_get_stride(s), alpha, 0, mid, 0, NULL, 0, 0, 0, 0 };
	half b = { data, w, a.stride, alpha, mid, h, 1, NULL, 0, 0, 0, 0 };
	pthread_t th;
	int started = mid > 0 && tl_thread_elsewhere(&th, deflate_half, &b) == 0;
	if (mid > 0)
		deflate_half(&a);
	if (started)
		pthread_join(th, NULL);
	else
		deflate_half(&b);
	int rc = -1;
	if (mid == 0)
		a.adler = adler32(0L, Z_NULL, 0);
	if (a.failed || b.failed) {
		errno = ENOMEM;
		goto out;
	}
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[13], tail[4];
	be32(ihdr, (uint32_t)w);
	be32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;                 /* bits per channel */
	ihdr[9] = alpha ? 6 : 2;     /* RGBA or RGB */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filtering, no interlace */
	/* an image of one row has no first half: the second alone is a raw stream,
	 * which then needs the zlib header in front of it */
	static const unsigned char zhead[2] = { 0x78, 0x5e };   /* 32 KiB window, level 2-5 */
	be32(tail, (uint32_t)adler32_combine(a.adler, b.adler, (z_off_t)(b.y1 - b.y0) *
	                                     (z_off_t)((size_t)w * (alpha ? 4 : 3) + 1)));
	const unsigned char *hp[] = { ihdr }, *dp[] = { zhead, a.out, b.out, tail };
	size_t hn[] = { sizeof ihdr }, dn[] = { mid > 0 ? 0 : sizeof zhead, a.len, b.len, sizeof tail };
	if (fwrite(sig, 1, sizeof sig, f) != sizeof sig || chunk(f, "IHDR", hp, hn, 1) < 0
	    || chunk(f, "IDAT", dp, dn, 4) < 0 || chunk(f, "IEND", NULL, NULL, 0) < 0)
		goto out;
	rc = fflush(f) != 0 || ferror(f) ? -1 : 0;
out:
	free(a.out);
	free(b.out);
	return rc;
}
