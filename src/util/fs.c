#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

pl_read_status pl_read_file(const char *path, size_t max_size, char **data, size_t *len)
{
	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: never hang on a FIFO that slipped past the walker. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return PL_READ_ERROR;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return PL_READ_ERROR;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return PL_READ_ERROR;
	}
	if ((unsigned long long)st.st_size > max_size) {
		close(fd);
		*len = (size_t)st.st_size;
		return PL_READ_TOO_LARGE;
	}
	size_t cap = (size_t)st.st_size + 1, used = 0;
	char *buf = pl_xmalloc(cap);
	for (;;) {
		if (used + 1 >= cap) {
			if (used >= max_size) { /* grew while we read it */
				free(buf);
				close(fd);
				*len = used;
				return PL_READ_TOO_LARGE;
			}
			cap *= 2;
			buf = pl_xrealloc(buf, cap);
		}
		ssize_t n = read(fd, buf + used, cap - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return PL_READ_ERROR;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	*data = buf;
	*len = used;
	return PL_READ_OK;
}

/* Write `data` to a fresh temporary file beside `path`, mode 0644, synced
 * and closed; its name is left in *tmp. Returns 0, or -1 with errno set
 * (the temporary file is gone). */
static int write_temp(const char *path, const char *data, size_t len, pl_strbuf *tmp)
{
	pl_strbuf_addf(tmp, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp->buf);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp->buf);
	errno = e;
	return -1;
}

int pl_write_file_atomic(const char *path, const char *data, size_t len)
{
	pl_strbuf tmp = PL_STRBUF_INIT;
	int rc = write_temp(path, data, len, &tmp);
	if (rc == 0 && rename(tmp.buf, path) < 0) {
		int e = errno;
		unlink(tmp.buf);
		errno = e;
		rc = -1;
	}
	pl_strbuf_release(&tmp);
	return rc;
}

/* Create `path` with O_EXCL and write it in place: never replaces anything,
 * but a crash can leave it short. */
static int write_exclusive_in_place(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(path); /* ours: O_EXCL created it */
	errno = e;
	return -1;
}

int pl_write_file_new(const char *path, const char *data, size_t len)
{
	pl_strbuf tmp = PL_STRBUF_INIT;
	if (write_temp(path, data, len, &tmp) < 0) {
		pl_strbuf_release(&tmp);
		return -1;
	}
	/* link() never replaces its target: EEXIST if anything (even a dangling
	 * symlink) took the name, however late. */
	int rc = link(tmp.buf, path);
	int e = errno;
	unlink(tmp.buf);
	pl_strbuf_release(&tmp);
	if (rc == 0)
		return 0;
	if (e == EPERM || e == ENOSYS || e == EOPNOTSUPP || e == EMLINK || e == EXDEV) {
		/* A file system without hard links (FAT, some FUSE and network
		 * mounts): O_EXCL still refuses an existing name, atomically. */
		return write_exclusive_in_place(path, data, len);
	}
	errno = e;
	return -1;
}

char *pl_path_join(const char *dir, const char *name)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	size_t n = strlen(dir);
	if (n == 0 || (n == 1 && dir[0] == '.')) {
		pl_strbuf_adds(&sb, name);
		return pl_strbuf_detach(&sb);
	}
	pl_strbuf_add(&sb, dir, n);
	if (dir[n - 1] != '/')
		pl_strbuf_addch(&sb, '/');
	pl_strbuf_adds(&sb, name);
	return pl_strbuf_detach(&sb);
}
