/*
 * fs: reading the files we scan and writing the files we were asked to write.
 *
 * prodlint never writes into the scanned repository. Output files are
 * written atomically: a temporary file beside the target, fsync, rename.
 */
#ifndef PL_FS_H
#define PL_FS_H

#include <stddef.h>

typedef enum pl_read_status {
	PL_READ_OK = 0,
	PL_READ_ERROR,     /* errno describes it */
	PL_READ_TOO_LARGE, /* larger than the limit; *len holds the size */
} pl_read_status;

/*
 * Read a whole regular file into a fresh NUL-terminated buffer (caller frees
 * *data). Files larger than max_size bytes are not read.
 */
pl_read_status pl_read_file(const char *path, size_t max_size, char **data, size_t *len);

/* Write `len` bytes to `path` atomically. Returns 0, or -1 with errno set. */
int pl_write_file_atomic(const char *path, const char *data, size_t len);

/* Join two path parts with one '/'; caller frees. */
char *pl_path_join(const char *dir, const char *name);

#endif
