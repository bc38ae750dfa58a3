/* Feeding a part of the file to the row logic: the structural scanner takes
 * every record it can prove simple, libcsv the rest.
 *
 * Both paths end in the same part_field and part_row, so a record gives the
 * same store, the same rejection and the same message whichever path read it.
 * The scanner hands a record to libcsv whenever libcsv might see it otherwise:
 * a misplaced quote, a bare CR, a newline inside quotes, a field count other
 * than the header's, bytes that are not UTF-8, a record longer than a field may
 * be. libcsv then reads physical lines until it stands at a record boundary
 * again, and the scanner starts afresh there. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <csv.h>
#include "load/load_int.h"
#include "load/scan.h"

#define MAX_FIELD (1u << 20)   /* as csv.c: a longer cell is an error, which libcsv's path reports */
#define FEED_MAX  (64u << 10)  /* most bytes given to libcsv at once */

/* Drops the mapped pages before q from the resident set: the file is read once,
 * front to back, and a streaming count should not hold all of it in RSS. */
static void release_pages(tl_part *p, const char *buf, const char *q)
{
	static long pagesz;
	if (!pagesz) pagesz = sysconf(_SC_PAGESIZE);
	if (!p->released || p->released < buf) p->released = buf;
	uintptr_t lo = ((uintptr_t)p->released + (uintptr_t)pagesz - 1) & ~(uintptr_t)(pagesz - 1);
	uintptr_t hi = (uintptr_t)q & ~(uintptr_t)(pagesz - 1);
	if (hi > lo + (128u << 10)) {
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
		p->released = (const char *)hi;
	}
}

/* Every 1024 lines: progress, and pages given back (a country count of 10M
 * records stays under 64 MiB by a few hundred KiB a part). */
static void line_done(tl_part *p, const char *q)
{
	if ((p->line & 0x3ff) == 0) {
		if (p->progress) load_progress(p);
		release_pages(p, p->run_buf, q);
	}
}

/* A quoted cell without its quotes and with "" read as ": in place when it
 * holds no doubled quote, else copied into the part's buffer. */
static const char *unquote(tl_part *p, const char *s, size_t *n)
{
	const char *q = memchr(s, '"', *n);
	if (!q) return s;
	if (*n > p->unqcap) {
		size_t cap = p->unqcap ? p->unqcap : 256;
		while (cap < *n) cap *= 2;
		char *u = tl_realloc(p->mem, p->unq, cap);
		if (!u) return NULL;
		p->unq = u;
		p->unqcap = cap;
	}
	size_t k = (size_t)(q - s);
	memcpy(p->unq, s, k);
	for (size_t i = k; i < *n; i++) {
		p->unq[k++] = s[i];
		if (s[i] == '"') i++;   /* the scanner proved quotes come in pairs here */
	}
	*n = k;
	return p->unq;
}

/* The scanner's record callback: the cells the part needs, to part_field as
 * libcsv would give them (unquoted cells without surrounding blanks and tabs,
 * quoted ones without quotes), then part_row. */
static int scan_record(void *ctx, const tl_scanrec *r)
{
	tl_part *p = ctx;
	size_t nf = r->nsep + 1;
	/* a lone field may be a blank line, which libcsv skips */
	if (nf != p->sc->ncsv || nf == 1 || r->len > MAX_FIELD) return SCAN_ODD;
	if (r->hi && utf8_check((const unsigned char *)r->start, r->len)) return SCAN_ODD;
	p->row_line = p->line;
	p->at_row_start = 0;
	p->utf8_suspect = 0;
	for (size_t f = 0; f < nf; f++) {
		if (!p->need[f]) { p->field++; continue; }
		size_t b = f ? r->sep[f - 1] + 1 : 0, e = f < r->nsep ? r->sep[f] : r->len;
		const char *s = r->start + b;
		size_t n = e - b;
		if (n >= 2 && s[0] == '"') {
			s++;
			n -= 2;
			if (!(s = unquote(p, s, &n))) {
				part_fatal(p, (long)f + 1, "out of memory");
				return SCAN_STOP;
			}
		} else {
			while (n && (*s == ' ' || *s == '\t')) s++, n--;
			while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
		}
		part_field((void *)s, n, p);
	}
	part_row(0, p);
	p->line++;
	p->bytes_done += r->size;
	line_done(p, r->start + r->size);
	return p->stop ? SCAN_STOP : SCAN_NEXT;
}

/* Feeds one physical line at *q to libcsv, or FEED_MAX bytes of a longer one:
 * a field over the limit is refused before it is buffered (or even read) whole.
 * Lines end with p->eol, CR in a file whose lines end with CR alone. */
static void feed_line(tl_part *p, const char **q, const char *end)
{
	size_t room = (size_t)(end - *q) > FEED_MAX ? FEED_MAX : (size_t)(end - *q);
	const char *nl = memchr(*q, p->eol, room);
	size_t len = nl ? (size_t)(nl - *q) + 1 : room;
	/* a whole line is checked at once; only the fields of a row with a bad
	 * line are checked one by one, to say which field is bad (a piece of a long
	 * line that cuts a character only makes its row checked that way) */
	int bad_line = utf8_check((const unsigned char *)*q, len) != 0;
	p->utf8_suspect = (p->utf8_suspect && !p->at_row_start) || bad_line;
	/* a blank line (libcsv skips it) does not start a row; a one-byte last line
	 * without its line end does */
	int blank = (len == 1 && ((*q)[0] == '\n' || (*q)[0] == '\r')) ||
	            (len == 2 && (*q)[0] == '\r' && (*q)[1] == '\n');
	if (p->at_row_start && !blank) {
		p->row_line = p->line;
		p->at_row_start = 0;
	}
	if (csv_parse(&p->csv, *q, len, part_field, part_row, p) != len) {
		tl_fail(&p->err, p->path, p->line, (long)p->field + 1, "malformed CSV: %s (a quote inside an unquoted field, or text after a closing quote)",
		        csv_strerror(csv_error(&p->csv)));
		p->stop = 1;
		return;
	}
	if (p->csv.entry_pos > MAX_FIELD) part_fatal(p, (long)p->field + 1, TL_TOOLONG);
	/* libcsv's field buffer grows through its own hook, which has no context:
	 * it is counted here, a piece (FEED_MAX) at most after it grew */
	if (p->csv.entry_size > p->csvbuf) {
		if (tl_mem_take(p->mem, p->csv.entry_size - p->csvbuf) < 0) part_fatal(p, (long)p->field + 1, "out of memory");
		else p->csvbuf = p->csv.entry_size;
	}
	if (nl) p->line++;
	*q += len;
	p->bytes_done += len;
	line_done(p, *q);
}

/* Feeds buf[0..n) to the part, counting lines from p->line. At each record
 * boundary the scanner goes first; what it gives up, libcsv reads a line at a
 * time until it is at a boundary again. */
void part_run(tl_part *p, const char *buf, size_t n, int last)
{
	const char *q = buf, *end = buf + n;
	p->run_buf = buf;
	while (q < end && !p->stop) {
		if (p->scan && p->at_row_start && p->csv.pstate == 0) {
			int why;
			q += scan_run(q, (size_t)(end - q), scan_record, p, &why);
			if (q == end || p->stop) break;
		}
		feed_line(p, &q, end);
	}
	if (last && !p->stop) {
		if (csv_fini(&p->csv, part_field, part_row, p) != 0) {
			tl_fail(&p->err, p->path, p->row_line, (long)p->field + 1, "unterminated quoted field (the file ends inside quotes)");
			p->stop = 1;
		}
	}
}
