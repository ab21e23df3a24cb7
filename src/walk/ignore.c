#include "walk/ignore.h"

#include <errno.h>
#include <git2.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/mem.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/wildmatch.h"
#include "util/xalloc.h"

/* git reads ignore files of any size; a file this big is a mistake, and
 * refusing it keeps a hostile repository from costing us gigabytes. */
#define MAX_IGNORE_FILE ((size_t)64 << 20)

/* The per-directory files, in the order their lines are appended to a
 * scope: later lines win, so .prodlintignore overrides .gitignore. */
static const char *const per_dir_files[] = { ".gitignore", ".prodlintignore" };
#define N_PER_DIR_FILES (sizeof(per_dir_files) / sizeof(per_dir_files[0]))

/* One pattern list: one directory's files, or info/exclude, or the global
 * excludes file (git's `struct pattern_list`). */
typedef struct scope {
	/* Pushed scopes: the rel_dir given to push_dir; they only speak for
	 * paths below it. NULL for the scopes pl_ignore_new loaded, which
	 * speak for every path under the root. */
	char *dir;
	size_t dir_len;
	/* Directory the patterns are relative to, relative to the match top
	 * (the repository top, or the root outside one): "" or "a/b/". */
	char *base;
	size_t base_len;
	char *sources[N_PER_DIR_FILES]; /* owned; pattern->source points here */
	size_t n_sources;
	pl_ignore_pattern *pats;
	size_t len, cap;
} scope;

struct pl_ignore {
	char *root;        /* realpath of the scan root */
	char *top;         /* repository top (realpath) or NULL */
	/* The root relative to the match top, "" or "a/b/": paths the walker
	 * gives us are relative to the root, patterns to the top. */
	char *root_prefix;
	size_t root_prefix_len;
	scope *scopes;     /* lowest precedence first */
	size_t len, cap;
	size_t permanent;  /* scopes[0, permanent) came from pl_ignore_new */
	pl_diags *diags;   /* borrowed; may be NULL */
};

static void warn(pl_ignore *ig, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void warn(pl_ignore *ig, const char *path, const char *fmt, ...)
{
	if (!ig->diags)
		return;
	pl_strbuf msg = PL_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	pl_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	pl_diags_add(ig->diags, path, 0, 0, "%s", msg.buf);
	pl_strbuf_release(&msg);
}

/* ---- glob translation --------------------------------------------------- */

/*
 * git's wildmatch classifies with its own ASCII-only ctype table (ctype.c),
 * not the C library's: isspace is only " \t\n\r", bytes >= 128 are in no
 * class. Returns false for an unknown class name (git: malformed pattern).
 */
static bool add_posix_class(const char *name, size_t n, bool set[256])
{
	static const char *const names[] = {
		"alnum", "alpha", "blank", "cntrl", "digit", "graph",
		"lower", "print", "punct", "space", "upper", "xdigit",
	};
	size_t which = sizeof(names) / sizeof(names[0]);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], name, n))
			which = i;
	if (which == sizeof(names) / sizeof(names[0]))
		return false;
	for (int c = 1; c < 128; c++) {
		bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
		bool digit = c >= '0' && c <= '9', alnum = upper || lower || digit;
		bool graph = c > ' ' && c < 127;
		bool in = false;
		switch (which) {
		case 0: in = alnum; break;
		case 1: in = upper || lower; break;
		case 2: in = c == ' ' || c == '\t'; break;
		case 3: in = c < ' ' || c == 127; break;
		case 4: in = digit; break;
		case 5: in = graph; break;
		case 6: in = lower; break;
		case 7: in = graph || c == ' '; break;
		case 8: in = graph && !alnum; break;
		case 9: in = c == ' ' || c == '\t' || c == '\n' || c == '\r'; break;
		case 10: in = upper; break;
		case 11: in = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); break;
		}
		if (in)
			set[c] = true;
	}
	return true;
}

/*
 * Parse the bracket expression at *pp (pointing at '[') exactly as git's
 * dowild() does, into the set of bytes it accepts; on success *pp points
 * past the closing ']'. Returns false where git aborts the whole match
 * (unclosed class, trailing backslash, unknown [:name:]).
 */
static bool parse_class(const unsigned char **pp, bool set[256])
{
	const unsigned char *p = *pp;
	unsigned char p_ch = *++p, prev_ch = 0;
	bool negated = false;
	bool in[256] = { false };

	if (p_ch == '!' || p_ch == '^') {
		negated = true;
		p_ch = *++p;
	}
	/* do-while: a ']' right after '[' (or "[!") is a member, not the end. */
	do {
		if (!p_ch)
			return false;
		if (p_ch == '\\') {
			p_ch = *++p;
			if (!p_ch)
				return false;
			in[p_ch] = true;
		} else if (p_ch == '-' && prev_ch && p[1] && p[1] != ']') {
			p_ch = *++p;
			if (p_ch == '\\') {
				p_ch = *++p;
				if (!p_ch)
					return false;
			}
			for (unsigned c = prev_ch; c <= p_ch; c++)
				in[c] = true;
			p_ch = 0; /* a range can't start another range */
		} else if (p_ch == '[' && p[1] == ':') {
			const unsigned char *s = p += 2;
			while ((p_ch = *p) && p_ch != ']')
				p++;
			if (!p_ch)
				return false;
			if (p - s < 1 || p[-1] != ':') {
				/* No ":]": the '[' is an ordinary member. */
				p = s - 2;
				p_ch = '[';
				in['['] = true;
				continue;
			}
			if (!add_posix_class((const char *)s, (size_t)(p - s - 1), in))
				return false;
			p_ch = 0;
		} else {
			in[p_ch] = true;
		}
	} while (prev_ch = p_ch, (p_ch = *++p) != ']');

	for (int c = 1; c < 256; c++)
		set[c] = in[c] != negated;
	set[0] = false;
	/* A class never matches '/' in git (pathname matching), and basenames
	 * have none. */
	set['/'] = false;
	*pp = p + 1;
	return true;
}

/* Append `set` as a bracket expression pl_wildmatch reads the same way:
 * every byte escaped, runs as escaped ranges, never negated. Returns false
 * for an empty set (a class nothing can match). */
static bool emit_class(pl_strbuf *out, const bool set[256])
{
	bool any = false;
	pl_strbuf_addch(out, '[');
	for (int c = 1; c < 256; c++) {
		if (!set[c])
			continue;
		int end = c;
		while (end + 1 < 256 && set[end + 1])
			end++;
		pl_strbuf_addch(out, '\\');
		pl_strbuf_addch(out, (char)c);
		if (end > c) {
			pl_strbuf_adds(out, "-\\");
			pl_strbuf_addch(out, (char)end);
		}
		any = true;
		c = end;
	}
	pl_strbuf_addch(out, ']');
	return any;
}

/*
 * Rewrite a git glob for pl_wildmatch. The two agree on everything but
 * bracket expressions (git has [:class:] and aborts on malformed ones,
 * pl_wildmatch takes a stray '[' literally) and a trailing backslash (git
 * never matches, pl_wildmatch takes it literally). Sets *never if git
 * could never match the pattern. Everything before the first '[' is
 * copied unchanged, so git's literal-prefix length stays valid.
 */
static char *translate_glob(const char *pat, bool *never)
{
	pl_strbuf out = PL_STRBUF_INIT;
	const unsigned char *p = (const unsigned char *)pat;
	*never = false;
	while (*p) {
		if (*p == '\\') {
			if (!p[1]) {
				*never = true;
				break;
			}
			pl_strbuf_add(&out, p, 2);
			p += 2;
		} else if (*p == '[') {
			bool set[256];
			if (!parse_class(&p, set) || !emit_class(&out, set)) {
				*never = true;
				break;
			}
		} else {
			pl_strbuf_addch(&out, (char)*p++);
		}
	}
	if (*never)
		pl_strbuf_reset(&out);
	return pl_strbuf_detach(&out);
}

/* ---- parsing ------------------------------------------------------------ */

/* git's simple_length(): bytes before the first glob special. */
static size_t literal_prefix(const char *s)
{
	size_t n = 0;
	while (s[n] && !strchr("*?[\\", s[n]))
		n++;
	return n;
}

/* git's trim_trailing_spaces(): drop trailing ' ' (not tabs) unless the
 * first of them is escaped with a backslash. */
static void trim_trailing_spaces(char *buf)
{
	char *last_space = NULL;
	for (char *p = buf; *p; p++) {
		switch (*p) {
		case ' ':
			if (!last_space)
				last_space = p;
			break;
		case '\\':
			p++;
			if (!*p)
				return;
			/* fallthrough */
		default:
			last_space = NULL;
		}
	}
	if (last_space)
		*last_space = '\0';
}

/* git's parse_path_pattern() + add_pattern() for one trimmed line. */
static void add_pattern(scope *sc, const char *source, unsigned line, const char *text)
{
	const char *p = text;
	unsigned flags = 0;
	bool negated = false;
	if (*p == '!') {
		negated = true;
		p++;
	}
	size_t len = strlen(p);
	if (len && p[len - 1] == '/') {
		len--;
		flags |= PL_IGNORE_PAT_DIR_ONLY;
	}
	if (!memchr(p, '/', len))
		flags |= PL_IGNORE_PAT_BASENAME;
	char *raw = pl_xstrndup(p, len);
	size_t prefix = literal_prefix(raw);
	bool never;
	char *glob = translate_glob(raw, &never);
	free(raw);
	if (never)
		flags |= PL_IGNORE_PAT_NEVER;

	PL_GROW(sc->pats, sc->cap, sc->len + 1);
	pl_ignore_pattern *pat = &sc->pats[sc->len++];
	pat->source = source;
	pat->line = line;
	pat->text = pl_xstrdup(text);
	pat->negated = negated;
	pat->glob = glob;
	pat->prefix = prefix;
	pat->flags = flags;
}

/* git's add_patterns_from_buffer(): a leading UTF-8 BOM is skipped, lines
 * end at '\n' with one '\r' before it dropped, a line starting with '#' is
 * a comment, and line numbers count every line. */
static void parse_buffer(scope *sc, const char *source, const char *buf, size_t len)
{
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	pl_strbuf line = PL_STRBUF_INIT;
	unsigned lineno = 1;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		size_t n = i - start;
		if (n && buf[start] != '#') {
			/* Also on a last line without '\n': git appends one first. */
			if (buf[i - 1] == '\r')
				n--;
			pl_strbuf_reset(&line);
			pl_strbuf_add(&line, buf + start, n);
			/* As in git, an embedded NUL ends the pattern: it is a C string from here. */
			trim_trailing_spaces(line.buf);
			if (line.buf[0])
				add_pattern(sc, source, lineno, line.buf);
		}
		lineno++;
		start = i + 1;
	}
	pl_strbuf_release(&line);
}

/*
 * Read `path` into sc. In-tree files (nofollow) that are symbolic links are
 * refused like git's O_NOFOLLOW open does. A missing file is normal.
 */
static void load_file(pl_ignore *ig, scope *sc, const char *path, bool nofollow)
{
	struct stat st;
	if ((nofollow ? lstat(path, &st) : stat(path, &st)) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			warn(ig, path, "cannot read ignore file: %s", strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		warn(ig, path, "not reading ignore file: it is a symbolic link (git refuses those too)");
		return;
	}
	if (!S_ISREG(st.st_mode))
		return; /* git fails to read a directory named .gitignore, silently */
	char *data;
	size_t len;
	pl_read_status rs = pl_read_file(path, MAX_IGNORE_FILE, &data, &len);
	if (rs == PL_READ_TOO_LARGE) {
		warn(ig, path, "not reading ignore file: %zu bytes is over the %zu MiB limit",
		     len, MAX_IGNORE_FILE >> 20);
		return;
	}
	if (rs != PL_READ_OK) {
		warn(ig, path, "cannot read ignore file: %s", strerror(errno));
		return;
	}
	char *src = pl_xstrdup(path);
	sc->sources[sc->n_sources++] = src;
	parse_buffer(sc, src, data, len);
	free(data);
}

/* ---- scopes ------------------------------------------------------------- */

static scope *add_scope(pl_ignore *ig, const char *dir, const char *base)
{
	PL_GROW(ig->scopes, ig->cap, ig->len + 1);
	scope *sc = &ig->scopes[ig->len++];
	memset(sc, 0, sizeof(*sc));
	if (dir) {
		sc->dir = pl_xstrdup(dir);
		sc->dir_len = strlen(dir);
	}
	sc->base = pl_xstrdup(base);
	sc->base_len = strlen(base);
	return sc;
}

static void release_scope(scope *sc)
{
	for (size_t i = 0; i < sc->len; i++) {
		free((char *)sc->pats[i].text);
		free(sc->pats[i].glob);
	}
	free(sc->pats);
	for (size_t i = 0; i < sc->n_sources; i++)
		free(sc->sources[i]);
	free(sc->dir);
	free(sc->base);
}

/* Load abs_dir's per-directory files into a new scope. */
static void load_dir_scope(pl_ignore *ig, const char *dir, const char *base, const char *abs_dir)
{
	scope *sc = add_scope(ig, dir, base);
	for (size_t i = 0; i < N_PER_DIR_FILES; i++) {
		char *path = pl_path_join(abs_dir, per_dir_files[i]);
		load_file(ig, sc, path, true);
		free(path);
	}
}

/* A one-file scope for the global excludes file or info/exclude; their
 * patterns are relative to the top, and git follows symlinks for them. */
static void load_top_file_scope(pl_ignore *ig, const char *path)
{
	scope *sc = add_scope(ig, NULL, "");
	load_file(ig, sc, path, false);
}

/* ---- repository discovery ----------------------------------------------- */

static bool env_true(const char *name)
{
	const char *v = getenv(name);
	return v && (!strcasecmp(v, "1") || !strcasecmp(v, "true") ||
		     !strcasecmp(v, "yes") || !strcasecmp(v, "on"));
}

/*
 * Walk up from `root` (absolute, resolved) to the first directory whose
 * `.git` opens as a repository, as git's setup does: a `.git` that is not a
 * repository is passed over, and the walk stops at a filesystem boundary
 * unless GIT_DISCOVERY_ACROSS_FILESYSTEM is set. A repository libgit2
 * refuses because of its owner still counts (we only read ignore files);
 * then *repo stays NULL. Returns the top (caller frees) or NULL.
 */
static char *find_repo_top(const char *root, bool have_git2, git_repository **repo)
{
	*repo = NULL;
	struct stat st;
	if (stat(root, &st) < 0)
		return NULL;
	dev_t dev = st.st_dev;
	bool cross_fs = env_true("GIT_DISCOVERY_ACROSS_FILESYSTEM");
	char *dir = pl_xstrdup(root);
	for (;;) {
		char *dotgit = pl_path_join(dir, ".git");
		bool exists = stat(dotgit, &st) == 0;
		free(dotgit);
		if (exists && !have_git2)
			return dir; /* can't validate it: take the first `.git` */
		if (exists) {
			int rc = git_repository_open_ext(repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
			if (rc == 0 && git_repository_is_bare(*repo)) {
				git_repository_free(*repo);
				*repo = NULL;
			} else if (rc == 0 || rc == GIT_EOWNER) {
				if (rc != 0)
					*repo = NULL;
				return dir;
			}
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir) {
			if (dir[1] == '\0')
				break; /* "/" was the last candidate */
			dir[1] = '\0';
		} else {
			*slash = '\0';
		}
		if (stat(dir, &st) < 0 || (!cross_fs && st.st_dev != dev))
			break;
	}
	free(dir);
	return NULL;
}

/* The global excludes file's path (caller frees), or NULL for none. */
static char *global_excludes_path(pl_ignore *ig, bool have_git2, git_repository *repo,
				  const char *top)
{
	git_config *cfg = NULL;
	int rc = repo ? git_repository_config_snapshot(&cfg, repo) : -1;
	if (rc < 0)
		rc = have_git2 ? git_config_open_default(&cfg) : -1;
	if (rc == 0) {
		git_buf buf = { 0 };
		rc = git_config_get_path(&buf, cfg, "core.excludesFile");
		char *path = NULL;
		if (rc == 0) {
			/* Empty turns the global file off (git tries to read ""). A
			 * relative path: git runs from the top. */
			if (buf.ptr[0])
				path = buf.ptr[0] == '/' ? pl_xstrdup(buf.ptr) : pl_path_join(top, buf.ptr);
		} else if (rc != GIT_ENOTFOUND) {
			const git_error *e = git_error_last();
			warn(ig, NULL, "cannot read core.excludesFile: %s", e && e->message ? e->message : "unknown error");
		}
		git_buf_dispose(&buf);
		git_config_free(cfg);
		if (rc != GIT_ENOTFOUND)
			return path;
	}
	/* git's xdg_config_home("ignore"). */
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg)
		return pl_path_join(xdg, "git/ignore");
	const char *home = getenv("HOME");
	if (home)
		return pl_path_join(home, ".config/git/ignore");
	return NULL;
}

/* info/exclude lives in the common git dir: a linked worktree shares its
 * main repository's, a submodule has its own under .git/modules. */
static char *info_exclude_path(git_repository *repo, const char *top)
{
	if (repo)
		return pl_path_join(git_repository_commondir(repo), "info/exclude");
	/* libgit2 refused to open it; a plain .git directory is still easy. */
	char *dotgit = pl_path_join(top, ".git");
	struct stat st;
	char *path = NULL;
	if (stat(dotgit, &st) == 0 && S_ISDIR(st.st_mode))
		path = pl_path_join(dotgit, "info/exclude");
	free(dotgit);
	return path;
}

pl_ignore *pl_ignore_new_with_diags(const char *root, pl_diags *diags)
{
	char *abs_root = pl_xrealpath(root);
	if (!abs_root)
		return NULL;
	pl_ignore *ig = pl_xcalloc(1, sizeof(*ig));
	ig->root = abs_root;
	ig->diags = diags;

	/* Only fails when out of resources; then we go without config and
	 * without validating `.git`, rather than without ignore rules. */
	bool have_git2 = git_libgit2_init() >= 0;
	git_repository *repo;
	ig->top = find_repo_top(abs_root, have_git2, &repo);
	const char *match_top = ig->top ? ig->top : abs_root;

	pl_strbuf prefix = PL_STRBUF_INIT;
	size_t top_len = strlen(match_top);
	if (strcmp(match_top, abs_root)) {
		/* find_repo_top only strips components, so top is a prefix. */
		const char *rest = abs_root + top_len + (top_len > 1);
		pl_strbuf_addf(&prefix, "%s/", rest);
	}
	ig->root_prefix_len = prefix.len;
	ig->root_prefix = pl_strbuf_detach(&prefix);

	char *global = global_excludes_path(ig, have_git2, repo, match_top);
	if (global)
		load_top_file_scope(ig, global);
	free(global);
	if (ig->top) {
		char *info = info_exclude_path(repo, ig->top);
		if (info)
			load_top_file_scope(ig, info);
		free(info);
	}
	if (have_git2) {
		git_repository_free(repo);
		git_libgit2_shutdown();
	}

	/* The top's and every directory's down to the root, each relative to
	 * its own directory. */
	pl_strbuf abs_dir = PL_STRBUF_INIT, base = PL_STRBUF_INIT;
	pl_strbuf_adds(&abs_dir, match_top);
	const char *rest = ig->root_prefix;
	for (;;) {
		load_dir_scope(ig, NULL, base.buf, abs_dir.buf);
		if (!*rest)
			break;
		const char *slash = strchr(rest, '/');
		if (abs_dir.len == 0 || abs_dir.buf[abs_dir.len - 1] != '/')
			pl_strbuf_addch(&abs_dir, '/');
		pl_strbuf_add(&abs_dir, rest, (size_t)(slash - rest));
		pl_strbuf_add(&base, rest, (size_t)(slash - rest + 1));
		rest = slash + 1;
	}
	pl_strbuf_release(&abs_dir);
	pl_strbuf_release(&base);
	ig->permanent = ig->len;
	return ig;
}

pl_ignore *pl_ignore_new(const char *root)
{
	return pl_ignore_new_with_diags(root, NULL);
}

void pl_ignore_delete(pl_ignore *ig)
{
	if (!ig)
		return;
	for (size_t i = 0; i < ig->len; i++)
		release_scope(&ig->scopes[i]);
	free(ig->scopes);
	free(ig->root);
	free(ig->top);
	free(ig->root_prefix);
	free(ig);
}

const char *pl_ignore_root(const pl_ignore *ig)
{
	return ig->root;
}

const char *pl_ignore_repo_top(const pl_ignore *ig)
{
	return ig->top;
}

void pl_ignore_push_dir(pl_ignore *ig, const char *rel_dir)
{
	pl_ignore_push_listed_dir(ig, rel_dir, true);
}

void pl_ignore_push_listed_dir(pl_ignore *ig, const char *rel_dir, bool listed)
{
	if (!*rel_dir || !listed) {
		/* The root's files are already loaded, and a directory with
		 * neither file adds nothing: keep push/pop balanced only. */
		add_scope(ig, "", "");
		return;
	}
	pl_strbuf base = PL_STRBUF_INIT;
	pl_strbuf_addf(&base, "%s%s/", ig->root_prefix, rel_dir);
	char *abs_dir = pl_path_join(ig->root, rel_dir);
	load_dir_scope(ig, rel_dir, base.buf, abs_dir);
	free(abs_dir);
	pl_strbuf_release(&base);
}

void pl_ignore_pop_dir(pl_ignore *ig)
{
	if (ig->len <= ig->permanent)
		return;
	release_scope(&ig->scopes[--ig->len]);
}

/* ---- matching ----------------------------------------------------------- */

/* git's match_pathname(): the pattern is anchored at base; its literal
 * prefix is compared first and only the rest goes to wildmatch. That split
 * matters: in "a/b**" + "/c" the `**` then starts the glob, so git lets it
 * cross directories. */
static bool match_pathname(const pl_ignore_pattern *pat, const scope *sc,
			   const char *path, size_t path_len)
{
	const char *glob = pat->glob;
	size_t prefix = pat->prefix;
	if (*glob == '/') {
		glob++;
		prefix--;
	}
	size_t baselen = sc->base_len ? sc->base_len - 1 : 0;
	if (path_len < baselen + 1 || (baselen && path[baselen] != '/') ||
	    memcmp(path, sc->base, baselen))
		return false;
	const char *name = path + (baselen ? baselen + 1 : 0);
	size_t name_len = path_len - (size_t)(name - path);
	if (prefix) {
		if (prefix > name_len || memcmp(glob, name, prefix))
			return false;
		glob += prefix;
		name += prefix;
		name_len -= prefix;
		if (!*glob && !name_len)
			return true;
	}
	return pl_wildmatch(glob, name, PL_WM_PATHNAME);
}

static bool match_one(const pl_ignore_pattern *pat, const scope *sc, const char *path,
		      size_t path_len, const char *basename, bool is_dir)
{
	if (pat->flags & PL_IGNORE_PAT_NEVER)
		return false;
	if ((pat->flags & PL_IGNORE_PAT_DIR_ONLY) && !is_dir)
		return false;
	if (pat->flags & PL_IGNORE_PAT_BASENAME)
		return pl_wildmatch(pat->glob, basename, 0); /* git: no WM_PATHNAME here */
	return match_pathname(pat, sc, path, path_len);
}

static bool scope_contains(const scope *sc, const char *rel_path)
{
	if (!sc->dir || !sc->dir_len)
		return true;
	return !strncmp(rel_path, sc->dir, sc->dir_len) && rel_path[sc->dir_len] == '/';
}

const pl_ignore_pattern *pl_ignore_match(const pl_ignore *ig, const char *rel_path, bool is_dir)
{
	if (!*rel_path)
		return NULL; /* the root itself is never ignored */
	/* Patterns are relative to the top: prefix the root's place in it.
	 * Paths are short; the stack buffer saves a malloc per lookup. */
	char small[512];
	char *heap = NULL;
	const char *path = rel_path;
	size_t rel_len = strlen(rel_path);
	size_t path_len = rel_len;
	if (ig->root_prefix_len) {
		path_len = ig->root_prefix_len + rel_len;
		char *buf = small;
		if (path_len + 1 > sizeof(small))
			buf = heap = pl_xmalloc(path_len + 1);
		memcpy(buf, ig->root_prefix, ig->root_prefix_len);
		memcpy(buf + ig->root_prefix_len, rel_path, rel_len + 1);
		path = buf;
	}
	const char *slash = strrchr(path, '/');
	const char *basename = slash ? slash + 1 : path;

	const pl_ignore_pattern *found = NULL;
	for (size_t i = ig->len; i-- > 0 && !found;) {
		const scope *sc = &ig->scopes[i];
		if (!scope_contains(sc, rel_path))
			continue;
		for (size_t j = sc->len; j-- > 0;) {
			if (match_one(&sc->pats[j], sc, path, path_len, basename, is_dir)) {
				found = &sc->pats[j];
				break;
			}
		}
	}
	free(heap);
	return found;
}

bool pl_ignore_is_ignored(const pl_ignore *ig, const char *rel_path, bool is_dir)
{
	const pl_ignore_pattern *pat = pl_ignore_match(ig, rel_path, is_dir);
	return pat && !pat->negated;
}

char *pl_ignore_explain(const pl_ignore *ig, const char *rel_path, bool is_dir)
{
	const pl_ignore_pattern *pat = pl_ignore_match(ig, rel_path, is_dir);
	if (!pat)
		return NULL;
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_addf(&sb, "%s:%u: %s", pat->source, pat->line, pat->text);
	return pl_strbuf_detach(&sb);
}

/* ---- standalone lists --------------------------------------------------- */

struct pl_ignore_list {
	scope sc;          /* base "", dir NULL: speaks for every path */
};

pl_ignore_list *pl_ignore_list_new(const char *source)
{
	pl_ignore_list *list = pl_xcalloc(1, sizeof(*list));
	list->sc.base = pl_xstrdup("");
	list->sc.sources[list->sc.n_sources++] = pl_xstrdup(source);
	return list;
}

void pl_ignore_list_delete(pl_ignore_list *list)
{
	if (!list)
		return;
	release_scope(&list->sc);
	free(list);
}

void pl_ignore_list_add(pl_ignore_list *list, unsigned line, const char *pattern)
{
	add_pattern(&list->sc, list->sc.sources[0], line, pattern);
}

const pl_ignore_pattern *pl_ignore_list_match(const pl_ignore_list *list, const char *path,
					      bool is_dir)
{
	if (!*path)
		return NULL;
	const char *slash = strrchr(path, '/');
	const char *basename = slash ? slash + 1 : path;
	size_t len = strlen(path);
	for (size_t j = list->sc.len; j-- > 0;)
		if (match_one(&list->sc.pats[j], &list->sc, path, len, basename, is_dir))
			return &list->sc.pats[j];
	return NULL;
}
