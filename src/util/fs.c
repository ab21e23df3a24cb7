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

int pl_write_file_atomic(const char *path, const char *data, size_t len)
{
	pl_strbuf tmp = PL_STRBUF_INIT;
	pl_strbuf_addf(&tmp, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(tmp.buf);
	if (fd < 0) {
		pl_strbuf_release(&tmp);
		return -1;
	}
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
	fd = -1;
	if (rename(tmp.buf, path) < 0)
		goto fail;
	pl_strbuf_release(&tmp);
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	pl_strbuf_release(&tmp);
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
