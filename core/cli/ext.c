/* The commands that draw, script or import, loaded when one of them runs.
 *
 * count and check need the store, the loader and the counts; chart, run, eval,
 * plugins and import also need Lua, cairo, pango, poppler and libxml2. Linked
 * into the program, those libraries cost every count about 12 MiB of resident
 * pages and most of its start-up (relocating some 60 shared objects), so they
 * live in a module of their own, tally-ext.so, which the program opens the
 * first time such a command runs. The module's code calls back into the
 * program (the program exports its symbols: -rdynamic), so there is one store,
 * one context and one allocator, whichever side a call comes from. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "tally/thread.h"

#define EXT_NAME "tally-ext.so"

/* Where the module may be, relative to the program first: beside it (the
 * sanitizer build, build/san/), the source tree's build (./tally and
 * build/rel/), an installed tree ($PREFIX/bin and $PREFIX/lib/tally, wherever
 * DESTDIR put it), and last the directory make install was told. */
static void *ext_open(char *tried, size_t n)
{
	static const char *const rel[] = {"", "build/rel/", "../lib/tally/"};
	char exe[PATH_MAX], path[PATH_MAX + 64];
	void *h;
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	tried[0] = 0;
	if (k > 0) {
		exe[k] = 0;
		char *slash = strrchr(exe, '/');
		if (slash) slash[1] = 0;
		for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
			snprintf(path, sizeof path, "%s%s" EXT_NAME, exe, rel[i]);
			if (access(path, F_OK) == 0 && (h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) return h;
		}
	}
	snprintf(path, sizeof path, "%s/" EXT_NAME, TALLY_LIBDIR);
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL))) return h;
	snprintf(tried, n, "%s", dlerror());
	return NULL;
}

/* fontconfig's configuration, read while the module is opened.
 *
 * A chart's first text waits for fontconfig to read its configuration (some 60
 * files under /etc/fonts: about 3.5 ms, as long as opening the module takes).
 * For the commands that draw, a thread on the other core reads it while this one
 * opens the module: fontconfig is opened first (it is one of the module's own
 * libraries, so the module then finds it loaded), FcInit runs in the thread, and
 * the thread is joined before the command runs, so that pango finds the
 * configuration made and nothing runs beside the command. If fontconfig cannot
 * be opened or the thread cannot start, pango reads the configuration when it
 * first needs it, as it would anyway. */
static void *fc_init(void *fn)
{
	int (*init)(void);
	*(void **)&init = fn;
	init();
	return NULL;
}

static int fc_start(pthread_t *th)
{
	void *fc = dlopen("libfontconfig.so.1", RTLD_NOW | RTLD_LOCAL), *fn;
	if (!fc)
		return 0;
	if ((fn = dlsym(fc, "FcInit")) && tl_thread_elsewhere(th, fc_init, fn) == 0)
		return 1;   /* the handle stays open: the module uses the same library */
	dlclose(fc);
	return 0;
}

/* Runs the command called name from the module: its exit status, or
 * TL_EXIT_USAGE with a message when the module cannot be loaded. */
int cli_ext_run(const char *name, int argc, char **argv)
{
	static void *h;
	char sym[64], why[PATH_MAX + 256];
	int (*fn)(int, char **);
	pthread_t fc;
	int fc_started = !h && (!strcmp(name, "chart") || !strcmp(name, "run")) && fc_start(&fc);
	if (!h)
		h = ext_open(why, sizeof why);
	if (fc_started)
		pthread_join(fc, NULL);
	if (!h) {
		fprintf(stderr, "tally %s: cannot load the drawing and scripting commands: %s\n", name, why);
		return TL_EXIT_USAGE;
	}
	snprintf(sym, sizeof sym, "cmd_%s", name);
	*(void **)&fn = dlsym(h, sym);
	if (!fn) {
		fprintf(stderr, "tally %s: %s has no %s (a module of another build?)\n", name, EXT_NAME, sym);
		return TL_EXIT_USAGE;
	}
	return fn(argc, argv);
}

/* fontconfig keeps its configuration and font patterns for the life of the process
 * (chart/text.c's shared font map holds them on purpose); LeakSanitizer would
 * report them at exit in every sanitizer build, hiding real leaks among hundreds.
 * The hook is here, in the program, because LeakSanitizer asks the program for it
 * when it starts, before the module that brings fontconfig is loaded. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
