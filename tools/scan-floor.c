/* scan-floor: the structural scanner's floor. Finds every record and field
 * boundary of a CSV file with tally's scanner (core/load/scan.c) on one core,
 * counts them and does nothing else: no cell is looked at. A record the
 * scanner gives up (it would go to libcsv) is counted as odd and skipped to the
 * next line. What tally does on top of this is its own cost.
 *
 *   scan-floor [--impl avx2|sse2|portable] FILE
 *   prints "rows R fields F odd O bytes B impl I" (rows include the header)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "load/scan.h"

typedef struct { unsigned long long rows, fields; } tally_floor;

static int on_record(void *ctx, const tl_scanrec *r)
{
	tally_floor *f = ctx;
	f->rows++;
	f->fields += r->nsep + 1;
	return SCAN_NEXT;
}

int main(int argc, char **argv)
{
	int a = 1;
	if (argc == 4 && strcmp(argv[1], "--impl") == 0) {
		if (scan_use(argv[2]) != 0) { fprintf(stderr, "scan-floor: no implementation '%s' here\n", argv[2]); return 2; }
		a = 3;
	}
	if (argc != a + 1) { fputs("usage: scan-floor [--impl avx2|sse2|portable] FILE\n", stderr); return 2; }
	int fd = open(argv[a], O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0) { fprintf(stderr, "scan-floor: %s: %s\n", argv[a], strerror(errno)); return 1; }
	size_t n = (size_t)st.st_size, at = 0, odd = 0;
	const char *buf = n ? mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0) : "";
	if (buf == MAP_FAILED) { fprintf(stderr, "scan-floor: %s: %s\n", argv[a], strerror(errno)); return 1; }
	madvise((void *)buf, n, MADV_SEQUENTIAL);
	tally_floor f = {0, 0};
	while (at < n) {
		int why;
		at += scan_run(buf + at, n - at, on_record, &f, &why);
		if (at >= n) break;
		const char *nl = memchr(buf + at, '\n', n - at);   /* odd, or the unterminated last line */
		odd++;
		f.rows++;
		at = nl ? (size_t)(nl - buf) + 1 : n;
	}
	printf("rows %llu fields %llu odd %zu bytes %zu impl %s\n", f.rows, f.fields, odd, n, scan_impl());
	return 0;
}
