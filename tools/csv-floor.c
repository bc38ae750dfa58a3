/* csv-floor: the libcsv parse floor. Parses a CSV file with libcsv on one core,
 * counts fields and rows, and does nothing else: no allocation per field, no
 * conversion. Whatever tally does on one core on top of this is its own cost.
 *
 *   csv-floor FILE      prints "rows R fields F bytes B" (rows include the header)
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { unsigned long long fields, rows, bytes; } tally_floor;

static void on_field(void *s, size_t n, void *data)
{
	(void)s;
	tally_floor *f = data;
	f->fields++;
	f->bytes += n;
}

static void on_row(int c, void *data)
{
	(void)c;
	((tally_floor *)data)->rows++;
}

int main(int argc, char **argv)
{
	if (argc != 2) { fputs("usage: csv-floor FILE\n", stderr); return 2; }
	int fd = strcmp(argv[1], "-") ? open(argv[1], O_RDONLY) : 0;
	if (fd < 0) { fprintf(stderr, "csv-floor: %s: %s\n", argv[1], strerror(errno)); return 1; }
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

	struct csv_parser p;
	if (csv_init(&p, 0)) { fputs("csv-floor: csv_init failed\n", stderr); return 1; }
	tally_floor f = { 0, 0, 0 };
	enum { CHUNK = 1 << 20 };
	char *buf = malloc(CHUNK);
	if (!buf) { fputs("csv-floor: out of memory\n", stderr); return 1; }
	unsigned long long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0) {
			if (errno == EINTR) continue;
			fprintf(stderr, "csv-floor: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
		if (n == 0) break;
		if (csv_parse(&p, buf, (size_t)n, on_field, on_row, &f) != (size_t)n) {
			fprintf(stderr, "csv-floor: %s: %s near byte %llu\n", argv[1],
			        csv_strerror(csv_error(&p)), total);
			return 1;
		}
		total += (unsigned long long)n;
	}
	csv_fini(&p, on_field, on_row, &f);
	csv_free(&p);
	free(buf);
	printf("rows %llu fields %llu bytes %llu\n", f.rows, f.fields, total);
	return 0;
}
