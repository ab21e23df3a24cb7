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

/*
 * Create `path` with `len` bytes, never replacing an existing file, even one
 * that appears while we write (prodlint init). The bytes go to a temporary
 * file beside `path` first, then link() gives it the final name: link fails
 * with EEXIST instead of replacing, which rename cannot do portably
 * (renameat2's RENAME_NOREPLACE is Linux-only and not on every file
 * system). Readers never see a partial file. Where hard links are not
 * supported, falls back to open(O_CREAT | O_EXCL) and writing in place
 * (still never replaces; a crash may leave a short file). Returns 0, or -1
 * with errno set (EEXIST: the file exists).
 */
int pl_write_file_new(const char *path, const char *data, size_t len);

/* Join two path parts with one '/'; caller frees. */
char *pl_path_join(const char *dir, const char *name);

#endif
