/* Replays fuzz inputs through a harness without libFuzzer: every file named on
 * the command line, or in a directory named there. Prints one check per
 * directory; a crash or a sanitizer report is the failure (tests/cli/fuzz.sh). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;
	if (!f || fstat(fileno(f), &st) < 0) { if (f) fclose(f); return -1; }
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) { free(buf); fclose(f); return -1; }
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)st.st_size);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
	int failed = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		size_t n = 0, bad = 0;
		if (stat(argv[i], &st) < 0) { printf("not ok - %s: no such file\n", argv[i]); failed++; continue; }
		if (!S_ISDIR(st.st_mode)) {
			bad += replay(argv[i]) < 0;
			n++;
		} else {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			char **names = NULL;
			size_t cap = 0;
			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.') continue;
				if (n == cap) names = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
				names[n++] = strdup(e->d_name);
			}
			if (d) closedir(d);
			qsort(names, n, sizeof *names, cmp);   /* the same order on every machine */
			for (size_t k = 0; k < n; k++) {
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], names[k]);
				bad += replay(path) < 0;
				free(names[k]);
			}
			free(names);
		}
		printf("%s - %s: %zu inputs replayed%s\n", bad || !n ? "not ok" : "ok", argv[i], n, bad ? ", some unreadable" : "");
		failed += bad || !n;
	}
	return failed != 0;
}
