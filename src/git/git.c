#include "git/git.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/xalloc.h"

struct pl_git {
	git_repository *repo;
	char *top;
};

/* libgit2's last error, for messages. */
static const char *git_message(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

pl_git *pl_git_open(const char *path, pl_diags *errors)
{
	if (git_libgit2_init() < 0) {
		pl_diags_add(errors, path, 0, 0, "cannot start libgit2: %s", git_message());
		return NULL;
	}
	git_repository *repo = NULL;
	int rc = git_repository_open_ext(&repo, path, 0, NULL);
	if (rc < 0 || git_repository_is_bare(repo)) {
		if (rc == GIT_ENOTFOUND)
			pl_diags_add(errors, path, 0, 0, "not inside a git work tree");
		else if (rc < 0)
			pl_diags_add(errors, path, 0, 0, "cannot open the git repository: %s",
				     git_message());
		else
			pl_diags_add(errors, path, 0, 0, "the git repository is bare: no work tree");
		git_repository_free(repo);
		git_libgit2_shutdown();
		return NULL;
	}
	char *top = pl_xrealpath(git_repository_workdir(repo));
	if (!top) {
		pl_diags_add(errors, git_repository_workdir(repo), 0, 0,
			     "cannot resolve the work tree's top directory");
		git_repository_free(repo);
		git_libgit2_shutdown();
		return NULL;
	}
	pl_git *g = pl_xcalloc(1, sizeof(*g));
	g->repo = repo;
	g->top = top;
	return g;
}

void pl_git_close(pl_git *g)
{
	if (!g)
		return;
	git_repository_free(g->repo);
	free(g->top);
	free(g);
	git_libgit2_shutdown();
}

const char *pl_git_top(const pl_git *g)
{
	return g->top;
}

static void change_release(pl_git_change *c)
{
	free(c->path);
	free(c->text);
	free(c->base_text);
	pl_line_ranges_release(&c->lines);
}

void pl_git_changes_release(pl_git_changes *changes)
{
	for (size_t i = 0; i < changes->len; i++)
		change_release(&changes->items[i]);
	free(changes->items);
	memset(changes, 0, sizeof(*changes));
}

/* A blob's bytes as a fresh NUL-terminated string. */
static int read_blob(git_repository *repo, const git_oid *id, char **text, size_t *len)
{
	git_blob *blob;
	if (git_blob_lookup(&blob, repo, id) < 0)
		return -1;
	git_object_size_t size = git_blob_rawsize(blob);
	if (size > ((git_object_size_t)1 << 30)) {
		git_blob_free(blob);
		git_error_set_str(GIT_ERROR_INVALID, "blob larger than 1 GiB");
		return -1;
	}
	*len = (size_t)size;
	*text = pl_xmalloc(*len + 1);
	memcpy(*text, git_blob_rawcontent(blob), *len);
	(*text)[*len] = '\0';
	git_blob_free(blob);
	return 0;
}

static bool is_file_mode(uint16_t mode)
{
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

typedef struct collect {
	pl_git *g;
	pl_git_changes *out;
	bool staged;             /* new content from the index blob */
	int failed;              /* a blob could not be read */
} collect;

/* One delta into a change; sets c->failed when a blob cannot be read. */
static int add_delta(const git_diff_delta *d, float progress, void *payload)
{
	(void)progress;
	collect *c = payload;
	bool old_file = is_file_mode(d->old_file.mode) && d->status != GIT_DELTA_ADDED &&
			d->status != GIT_DELTA_UNTRACKED;
	bool new_file = is_file_mode(d->new_file.mode) && d->status != GIT_DELTA_DELETED;
	if ((!old_file && !new_file) || d->status == GIT_DELTA_CONFLICTED ||
	    d->status == GIT_DELTA_IGNORED || d->status == GIT_DELTA_UNREADABLE)
		return 0;
	PL_GROW(c->out->items, c->out->cap, c->out->len + 1);
	pl_git_change *ch = &c->out->items[c->out->len++];
	memset(ch, 0, sizeof(*ch));
	ch->path = pl_xstrdup(new_file ? d->new_file.path : d->old_file.path);
	ch->deleted = !new_file;
	ch->all_lines = c->staged || !old_file;
	if (old_file) {
		if (read_blob(c->g->repo, &d->old_file.id, &ch->base_text, &ch->base_len) < 0) {
			c->failed = -1;
			return -1;
		}
		ch->has_base = true;
	}
	if (new_file && c->staged &&
	    read_blob(c->g->repo, &d->new_file.id, &ch->text, &ch->len) < 0) {
		c->failed = -1;
		return -1;
	}
	return 0;
}

static int add_hunk(const git_diff_delta *d, const git_diff_hunk *h, void *payload)
{
	(void)d;
	collect *c = payload;
	if (!c->out->len)
		return 0;
	pl_git_change *ch = &c->out->items[c->out->len - 1];
	if (ch->all_lines || ch->deleted || strcmp(ch->path, d->new_file.path) != 0)
		return 0;
	if (h->new_lines > 0) {
		pl_line_ranges_add(&ch->lines, (unsigned)h->new_start,
				   (unsigned)(h->new_start + h->new_lines - 1));
	} else {
		/* A pure deletion after line new_start: both sides of the gap. */
		unsigned at = h->new_start > 0 ? (unsigned)h->new_start : 1;
		pl_line_ranges_add(&ch->lines, at, (unsigned)h->new_start + 1);
	}
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const pl_git_change *)a)->path, ((const pl_git_change *)b)->path);
}

/* Sort by path; a path twice (a type change reported as delete + add) becomes one. */
static void finish_changes(pl_git_changes *out)
{
	if (out->len > 1)
		qsort(out->items, out->len, sizeof(pl_git_change), cmp_change);
	size_t k = 0;
	for (size_t i = 0; i < out->len; i++) {
		pl_git_change *cur = &out->items[i];
		if (k && strcmp(out->items[k - 1].path, cur->path) == 0) {
			pl_git_change a = out->items[k - 1], b = *cur;
			pl_git_change *kept = a.deleted ? &b : &a, *gone = a.deleted ? &a : &b;
			if (!kept->has_base && gone->has_base) {
				kept->has_base = true;
				kept->base_text = gone->base_text;
				kept->base_len = gone->base_len;
				gone->base_text = NULL;
			}
			change_release(gone);
			out->items[k - 1] = *kept;
			continue;
		}
		out->items[k++] = *cur;
	}
	out->len = k;
}

static int run_diff(pl_git *g, git_diff *diff, bool staged, bool hunks, pl_git_changes *out,
		    pl_diags *errors)
{
	collect c = { g, out, staged, 0 };
	int rc = git_diff_foreach(diff, add_delta, NULL, hunks ? add_hunk : NULL, NULL, &c);
	if (rc < 0 || c.failed) {
		pl_diags_add(errors, g->top, 0, 0, "cannot read the changes: %s", git_message());
		pl_git_changes_release(out);
		return -1;
	}
	finish_changes(out);
	return 0;
}

/* HEAD's tree, or NULL (and 0) on an unborn branch. */
static int head_tree(pl_git *g, git_tree **tree)
{
	*tree = NULL;
	int unborn = git_repository_head_unborn(g->repo);
	if (unborn == 1)
		return 0;
	if (unborn < 0)
		return -1;
	git_object *obj;
	if (git_revparse_single(&obj, g->repo, "HEAD^{tree}") < 0)
		return -1;
	*tree = (git_tree *)obj;
	return 0;
}

int pl_git_staged(pl_git *g, pl_git_changes *out, pl_diags *errors)
{
	git_tree *tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	int rc = -1;
	if (head_tree(g, &tree) < 0) {
		pl_diags_add(errors, g->top, 0, 0, "cannot read HEAD: %s", git_message());
		goto cleanup;
	}
	/* Read afresh: the index may have changed since this handle first read it. */
	if (git_repository_index(&index, g->repo) < 0 || git_index_read(index, 1) < 0) {
		pl_diags_add(errors, g->top, 0, 0, "cannot read the git index: %s", git_message());
		goto cleanup;
	}
	git_diff_options opt;
	git_diff_options_init(&opt, GIT_DIFF_OPTIONS_VERSION);
	opt.flags = GIT_DIFF_IGNORE_SUBMODULES | GIT_DIFF_INCLUDE_TYPECHANGE;
	if (git_diff_tree_to_index(&diff, g->repo, tree, index, &opt) < 0) {
		pl_diags_add(errors, g->top, 0, 0, "cannot compare the index with HEAD: %s",
			     git_message());
		goto cleanup;
	}
	rc = run_diff(g, diff, true, false, out, errors);
cleanup:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(tree);
	return rc;
}

int pl_git_changed_since(pl_git *g, const char *ref, pl_git_changes *out, pl_diags *errors)
{
	git_object *obj = NULL, *tree = NULL;
	git_diff *diff = NULL;
	int rc = -1;
	if (git_revparse_single(&obj, g->repo, ref) < 0) {
		pl_diags_add(errors, NULL, 0, 0, "unknown revision '%s': %s", ref, git_message());
		goto cleanup;
	}
	if (git_object_peel(&tree, obj, GIT_OBJECT_TREE) < 0) {
		pl_diags_add(errors, NULL, 0, 0, "revision '%s' names no tree: %s", ref,
			     git_message());
		goto cleanup;
	}
	git_diff_options opt;
	git_diff_options_init(&opt, GIT_DIFF_OPTIONS_VERSION);
	opt.flags = GIT_DIFF_IGNORE_SUBMODULES | GIT_DIFF_INCLUDE_TYPECHANGE |
		    GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	opt.context_lines = 0;
	opt.interhunk_lines = 0;
	if (git_diff_tree_to_workdir_with_index(&diff, g->repo, (git_tree *)tree, &opt) < 0) {
		pl_diags_add(errors, g->top, 0, 0, "cannot compare '%s' with the work tree: %s", ref,
			     git_message());
		goto cleanup;
	}
	rc = run_diff(g, diff, false, true, out, errors);
cleanup:
	git_diff_free(diff);
	git_object_free(tree);
	git_object_free(obj);
	return rc;
}

int pl_git_read_head(pl_git *g, const char *path, char **text, size_t *len)
{
	git_tree *tree;
	if (head_tree(g, &tree) < 0)
		return -1;
	if (!tree)
		return 0;
	git_tree_entry *entry = NULL;
	int rc = git_tree_entry_bypath(&entry, tree, path);
	if (rc == GIT_ENOTFOUND || (rc == 0 && !is_file_mode((uint16_t)git_tree_entry_filemode(entry)))) {
		rc = 0;
	} else if (rc == 0) {
		rc = read_blob(g->repo, git_tree_entry_id(entry), text, len) < 0 ? -1 : 1;
	} else {
		rc = -1;
	}
	git_tree_entry_free(entry);
	git_tree_free(tree);
	return rc;
}
