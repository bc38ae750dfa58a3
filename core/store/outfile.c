/* Output files that appear whole or not at all: a hidden temporary beside the
 * final path, every write, flush, sync and close checked, then one rename. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tally/outfile.h"

struct tl_outfile {
	char *path, *tmp;
	FILE *f;
};

static unsigned long outfile_seq;

char *outfile_tmpname(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 64;
	char *tmp = malloc(n);
	if (tmp)
		snprintf(tmp, n, "%.*s.%s.tally-%ld-%lu.tmp", dirlen, path, base, (long)getpid(),
		         __atomic_add_fetch(&outfile_seq, 1, __ATOMIC_RELAXED));
	return tmp;
}

/* The process id in a temporary's name ".base.tally-PID-SEQ.tmp", or 0 when the
 * name is not one of ours. */
static long stale_pid(const char *name)
{
	size_t n = strlen(name);
	const char *t, *p;
	char *end;
	long pid;
	if (name[0] != '.' || n < 12 || strcmp(name + n - 4, ".tmp") != 0)
		return 0;
	for (t = name + n - 4; t > name && t[-1] != '-'; t--)   /* back over SEQ */
		if (t[-1] < '0' || t[-1] > '9')
			return 0;
	if (t == name + n - 4 || t - 1 <= name)
		return 0;
	for (p = t - 1; p > name && p[-1] >= '0' && p[-1] <= '9'; p--)   /* back over PID */
		;
	if (p == t - 1 || p - name < 7 || strncmp(p - 7, ".tally-", 7) != 0)
		return 0;
	pid = strtol(p, &end, 10);
	return end == t - 1 && pid > 0 ? pid : 0;
}

/* A temporary belongs to a dead process when no process has its id (kill 0 says
 * ESRCH); a live one, ours included, is writing it and is left alone. */
void outfile_clean_stale(const char *dir)
{
	DIR *d = opendir(dir && *dir ? dir : ".");
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		long pid = stale_pid(e->d_name);
		struct stat st;
		if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

int outfile_make_parents(const char *path)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

tl_outfile *outfile_open(const char *path, tl_error *err)
{
	tl_outfile *o = calloc(1, sizeof *o);
	int fd = -1;
	if (!o || !(o->path = strdup(path))) {
		free(o);
		tl_fail(err, path, 0, 0, "out of memory");
		return NULL;
	}
	if (outfile_make_parents(path) != 0) {
		tl_fail(err, path, 0, 0, "cannot create its directory: %s", strerror(errno));
		goto fail;
	}
	const char *slash = strrchr(path, '/');
	if (slash) {
		char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		if (dir)
			outfile_clean_stale(dir);
		free(dir);
	} else {
		outfile_clean_stale(".");
	}
	/* O_EXCL: a name some other writer holds is never shared, only skipped */
	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		free(o->tmp);
		if (!(o->tmp = outfile_tmpname(path))) {
			tl_fail(err, path, 0, 0, "out of memory");
			goto fail;
		}
		fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
		tl_fail(err, path, 0, 0, "cannot write: %s", strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		goto fail;
	}
	return o;
fail:
	free(o->tmp);
	free(o->path);
	free(o);
	return NULL;
}

FILE *outfile_stream(tl_outfile *o)
{
	return o->f;
}

static void outfile_free(tl_outfile *o)
{
	free(o->tmp);
	free(o->path);
	free(o);
}

int outfile_commit(tl_outfile *o, tl_error *err)
{
	int e = 0;
	errno = 0;
	/* the stream's error flag keeps a failure of any earlier buffered write */
	if (fflush(o->f) != 0 || ferror(o->f))
		e = errno ? errno : EIO;
	if (!e && fsync(fileno(o->f)) != 0 && errno != EINVAL)
		e = errno;
	if (fclose(o->f) != 0 && !e)
		e = errno;
	if (!e && rename(o->tmp, o->path) != 0)
		e = errno;
	if (e) {
		unlink(o->tmp);
		tl_fail(err, o->path, 0, 0, "cannot write: %s", strerror(e));
	}
	outfile_free(o);
	return e ? -1 : 0;
}

void outfile_abort(tl_outfile *o)
{
	if (!o)
		return;
	fclose(o->f);
	unlink(o->tmp);
	outfile_free(o);
}
