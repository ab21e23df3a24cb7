#include "walk/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "walk/ignore.h"

typedef struct walker {
	const pl_walk_options *opt;
	pl_file_list *out;
	pl_diags *errors;
	pl_ignore *ignore;      /* NULL with no_ignore */
} walker;

/* A file's language: what its name says (by_name: its extension or file
 * name, as pl_language_for_path reads them), else, without an extension,
 * the shebang in its first bytes. */
static const pl_language *sniff_language(const char *fs_path, const char *path,
					 const pl_language *by_name)
{
	if (by_name)
		return by_name;
	if (pl_path_has_extension(path))
		return NULL; /* an extension we do not parse */
	int fd = open(fs_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char head[256];
	ssize_t n = read(fd, head, sizeof(head));
	close(fd);
	return n > 2 ? pl_language_for_path(path, head, (size_t)n) : NULL;
}

static void add_file(walker *w, const char *path, const char *fs_path, off_t size,
		     const pl_language *by_name)
{
	const pl_language *lang = sniff_language(fs_path, path, by_name);
	if (!lang) {
		/* Not parsed, but its path is evidence for repo facts (prompts, CODEOWNERS). */
		w->out->unsupported++;
		PL_GROW(w->out->others, w->out->others_cap, w->out->others_len + 1);
		w->out->others[w->out->others_len++] = pl_xstrdup(path);
		return;
	}
	if ((size_t)size > w->opt->max_file_size) {
		w->out->too_large++;
		return;
	}
	PL_GROW(w->out->items, w->out->cap, w->out->len + 1);
	pl_file *f = &w->out->items[w->out->len++];
	f->path = pl_xstrdup(path);
	f->fs_path = pl_xstrdup(fs_path);
	f->lang = lang;
	f->size = (size_t)size;
}

bool pl_walk_is_minified_bundle(const char *path, const char *fs_path)
{
	size_t len = strlen(path);
	if (!pl_text_ends_with(path, len, ".min.js") && !pl_text_ends_with(path, len, ".min.mjs") &&
	    !pl_text_ends_with(path, len, ".min.cjs"))
		return false;
	int fd = open(fs_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	enum { HEAD = 64 * 1024, LONG_LINE = 500 };
	char *head = pl_xmalloc(HEAD);
	ssize_t n = read(fd, head, HEAD);
	close(fd);
	bool minified = false;
	size_t run = 0;
	for (ssize_t i = 0; i < n && !minified; i++) {
		run = head[i] == '\n' ? 0 : run + 1;
		minified = run > LONG_LINE;
	}
	free(head);
	return minified;
}

static bool excluded(const walker *w, const char *rel, bool is_dir)
{
	return w->opt->exclude && *rel && w->opt->exclude(rel, is_dir, w->opt->exclude_ctx);
}

/* A directory entry: its type (0: it vanished); for a file prodlint may
 * parse, its size; for any file, the language its name says (or NULL). */
typedef struct entry {
	char *name;
	mode_t mode;
	off_t size;
	const pl_language *lang;
} entry;

static int cmp_entries(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* rel: path relative to root ("" for root); fs: the path to open. */
static void walk_dir(walker *w, const char *rel, const char *fs)
{
	DIR *d = pl_xopendir(fs);
	if (!d) {
		pl_diags_add(w->errors, *rel ? rel : ".", 0, 0, "cannot read directory: %s",
			     strerror(errno));
		return;
	}
	entry *entries = NULL;
	size_t n = 0, cap = 0;
	bool ignore_files = false; /* a .gitignore or .prodlintignore is listed */
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		ignore_files |= strcmp(de->d_name, ".gitignore") == 0 ||
				strcmp(de->d_name, ".prodlintignore") == 0;
		PL_GROW(entries, cap, n + 1);
		entry e = { pl_xstrdup(de->d_name), 0, 0, NULL };
		if (de->d_type != DT_DIR)
			e.lang = pl_language_for_path(de->d_name, NULL, 0);
		if (de->d_type == DT_DIR) {
			e.mode = S_IFDIR;
		} else if (de->d_type == DT_REG && !e.lang && pl_path_has_extension(de->d_name)) {
			e.mode = S_IFREG; /* not parsed: its path is all that is kept */
		} else {
			/* Relative to the open directory: no walk of the whole
			 * path per entry. A file's size orders the work. */
			struct stat st;
			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
				e.mode = st.st_mode;
				e.size = st.st_size;
			}
		}
		entries[n++] = e;
	}
	closedir(d);
	if (n)
		qsort(entries, n, sizeof(entry), cmp_entries);

	if (w->ignore)
		pl_ignore_push_listed_dir(w->ignore, rel, ignore_files);
	for (size_t i = 0; i < n; i++) {
		char *child_rel = pl_path_join(rel, entries[i].name);
		char *child_fs = pl_path_join(fs, entries[i].name);
		mode_t mode = entries[i].mode;
		if (mode == 0) {
			/* Vanished since readdir: nothing to scan. */
		} else if (S_ISDIR(mode)) {
			if ((w->ignore && pl_ignore_is_ignored(w->ignore, child_rel, true)) ||
			    excluded(w, child_rel, true))
				w->out->ignored++;
			else
				walk_dir(w, child_rel, child_fs);
		} else if (S_ISREG(mode)) {
			if ((w->ignore && pl_ignore_is_ignored(w->ignore, child_rel, false)) ||
			    excluded(w, child_rel, false))
				w->out->ignored++;
			else if (!w->opt->no_ignore && pl_walk_is_minified_bundle(child_rel, child_fs))
				w->out->minified++;
			else
				add_file(w, child_rel, child_fs, entries[i].size, entries[i].lang);
		} else {
			w->out->special++; /* symlinks, FIFOs, sockets, devices: never opened */
		}
		free(child_rel);
		free(child_fs);
		free(entries[i].name);
	}
	if (w->ignore)
		pl_ignore_pop_dir(w->ignore);
	free(entries);
}

/* `path` relative to root if it lies inside it, else as given; '/'-separated, no "./". */
static char *display_path(const char *root_real, const char *path)
{
	/* Resolve the directory part only: a symlink named on the command line
	 * keeps its own name. */
	char *real = NULL;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (*base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0) {
		char *dir = slash ? pl_xstrndup(path, (size_t)(slash - path) + (slash == path)) : pl_xstrdup(".");
		char *dir_real = pl_xrealpath(dir);
		free(dir);
		if (dir_real) {
			real = pl_path_join(dir_real, base);
			free(dir_real);
		}
	} else {
		real = pl_xrealpath(path);
	}
	if (real && root_real) {
		size_t rl = strlen(root_real);
		if (strncmp(real, root_real, rl) == 0 && (real[rl] == '/' || real[rl] == '\0')) {
			char *out = pl_xstrdup(real[rl] == '/' ? real + rl + 1 : "");
			free(real);
			return out;
		}
	}
	free(real);
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return pl_xstrdup(path);
}

/* True if `path` is a symlink whose target is not inside the root. */
static bool link_leaves_root(const char *root_real, const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return false;
	char *real = pl_xrealpath(path);
	size_t rl = root_real ? strlen(root_real) : 0;
	bool inside = real && root_real && strncmp(real, root_real, rl) == 0 &&
		      (real[rl] == '/' || (rl == 1 && root_real[0] == '/'));
	free(real);
	return !inside;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const pl_file *)a)->path, ((const pl_file *)b)->path);
}

/* Walk the ancestors of `rel` so their ignore scopes apply, then the directory. */
static void walk_subdir(walker *w, const char *rel, const char *fs)
{
	if (!w->ignore || !*rel) {
		walk_dir(w, rel, fs);
		return;
	}
	char *copy = pl_xstrdup(rel);
	size_t pushed = 0;
	pl_ignore_push_dir(w->ignore, "");
	pushed++;
	for (char *p = copy; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		pl_ignore_push_dir(w->ignore, copy);
		pushed++;
		*p = '/';
	}
	walk_dir(w, rel, fs);
	while (pushed--)
		pl_ignore_pop_dir(w->ignore);
	free(copy);
}

int pl_walk(const char *root, const char *const *paths, size_t npaths,
	    const pl_walk_options *opt, pl_file_list *out, pl_diags *errors)
{
	struct stat st;
	if (stat(root, &st) < 0) {
		pl_diags_add(errors, root, 0, 0, "cannot read scan root: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		pl_diags_add(errors, root, 0, 0, "scan root is not a directory");
		return -1;
	}
	char *root_real = pl_xrealpath(root);
	walker w = { opt, out, errors, opt->no_ignore ? NULL : pl_ignore_new(root) };
	if (npaths == 0) {
		walk_dir(&w, "", root);
	} else {
		for (size_t i = 0; i < npaths; i++) {
			char *rel = display_path(root_real, paths[i]);
			if (stat(paths[i], &st) < 0) {
				pl_diags_add(errors, rel, 0, 0, "cannot read: %s", strerror(errno));
			} else if (excluded(&w, rel, S_ISDIR(st.st_mode))) {
				out->ignored++;
			} else if (S_ISDIR(st.st_mode)) {
				walk_subdir(&w, rel, paths[i]);
			} else if (S_ISREG(st.st_mode) && link_leaves_root(root_real, paths[i])) {
				out->special++; /* a hostile repo's link to ~/.ssh/... is never read */
			} else if (S_ISREG(st.st_mode)) {
				add_file(&w, rel, paths[i], st.st_size,
					 pl_language_for_path(rel, NULL, 0));
			} else {
				out->special++;
			}
			free(rel);
		}
	}
	pl_ignore_delete(w.ignore);
	free(root_real);
	if (out->len)
		qsort(out->items, out->len, sizeof(pl_file), by_path);
	/* Drop duplicates (a file named twice, or inside a directory also named). */
	size_t k = 0;
	for (size_t i = 0; i < out->len; i++) {
		if (k && strcmp(out->items[k - 1].path, out->items[i].path) == 0) {
			free(out->items[i].path);
			free(out->items[i].fs_path);
			continue;
		}
		out->items[k++] = out->items[i];
	}
	out->len = k;
	return 0;
}

void pl_file_list_release(pl_file_list *list)
{
	for (size_t i = 0; i < list->others_len; i++)
		free(list->others[i]);
	free(list->others);
	for (size_t i = 0; i < list->len; i++) {
		free(list->items[i].path);
		free(list->items[i].fs_path);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}
