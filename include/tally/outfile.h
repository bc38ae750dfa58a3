/* Output files that appear whole or not at all.
 *
 * Every file tally writes (charts, reports, a script's outputs) is written to a
 * hidden temporary name beside its final path, flushed, synced and closed with
 * every status checked, then renamed over the final path. A full disk, a failed
 * write or a process killed halfway leaves the old file (or none), never a
 * truncated one. Temporaries of processes that died are removed the next time
 * tally writes into the same directory. */
#ifndef TALLY_OUTFILE_H
#define TALLY_OUTFILE_H

#include <stdio.h>
#include "tally/error.h"

typedef struct tl_outfile tl_outfile;

/* Makes the parent directories of path, removes stale temporaries there and opens
 * a fresh temporary; NULL (err filled) on failure. */
tl_outfile *outfile_open(const char *path, tl_error *err);
FILE       *outfile_stream(tl_outfile *o);
/* Flushes, syncs and closes the temporary and renames it to the final path;
 * on any failure the temporary is removed and -1 returned. Frees o either way. */
int         outfile_commit(tl_outfile *o, tl_error *err);
/* Closes and removes the temporary; frees o. NULL is a no-op. */
void        outfile_abort(tl_outfile *o);

/* The hidden temporary name for path: "dir/.base.tally-PID-SEQ.tmp" (malloc'ed). */
char       *outfile_tmpname(const char *path);
/* Removes the temporaries in dir left by processes that no longer run. */
void        outfile_clean_stale(const char *dir);
/* Makes the directories leading to path (mkdir -p of its dirname); 0 or -1. */
int         outfile_make_parents(const char *path);

#endif
