/* The structural scanner: record and field boundaries of CSV text found 64
 * bytes at a time. Private to the loader (core/load); tools/scan-floor.c times it. */
#ifndef TALLY_LOAD_SCAN_H
#define TALLY_LOAD_SCAN_H

#include <stddef.h>
#include <stdint.h>

#define SCAN_MAXSEP 256   /* separators remembered per record; more makes it odd */
/* A record longer than this is odd too: libcsv reads it, and refuses a field past
 * its 1 MiB limit, where the scanner would look on for the record's end through
 * every page of a file that is one long field (a 200 MB field read whole). */
#define SCAN_MAXREC ((size_t)1 << 20)

/* One record the scanner found simple: a single physical line whose quotes are
 * all well placed (a quoted field opens at its first byte and closes at its
 * last, doubled quotes inside), with no bare CR and no newline inside quotes. */
typedef struct tl_scanrec {
	const char *start;              /* its first byte */
	size_t      len;                /* bytes up to the LF, without a CR before it */
	size_t      size;               /* bytes up to and with the LF */
	size_t      nsep;               /* field separators (fields - 1) */
	int         hi;                 /* holds bytes >= 0x80 or NUL (UTF-8 still to be checked) */
	uint32_t    sep[SCAN_MAXSEP];   /* offsets of the separators from start */
} tl_scanrec;

/* What the record callback asks: go on, let libcsv parse this record, or stop. */
enum { SCAN_NEXT, SCAN_ODD, SCAN_STOP };

/* Why scan_run returned. */
enum { SCAN_END = 0, SCAN_AT_ODD = 1, SCAN_STOPPED = 2 };

typedef int (*tl_scan_fn)(void *ctx, const tl_scanrec *r);

/* Scans buf[0..n), which starts at a record boundary, calling fn for each
 * complete simple record. Returns the offset where it stopped and sets *why:
 * SCAN_AT_ODD (the record there is not simple, or fn said so: libcsv parses it),
 * SCAN_STOPPED (fn said stop), SCAN_END (what is left holds no complete
 * record). The offset is always a record boundary. */
size_t scan_run(const char *buf, size_t n, tl_scan_fn fn, void *ctx, int *why);

/* Which implementation scan_run uses: "avx2", "sse2" or "portable". */
const char *scan_impl(void);

/* Chooses the implementation by name (tests and the floor tool); 0 if known. */
int scan_use(const char *name);

#endif
