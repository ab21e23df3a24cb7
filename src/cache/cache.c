/* dl_iterate_phdr (the build id) is a GNU extension. */
#define _GNU_SOURCE

#include "cache/cache.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <link.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "config/kind.h"
#include "util/mem.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ENTRY_MAX ((size_t)64 << 20)  /* a bigger entry is not ours */
#define WRITE_ERRORS_MAX 8            /* then stop trying for this run */
#define DAY ((time_t)24 * 3600)

struct pl_cache {
	char *dir;               /* <dir> */
	char *version_dir;       /* <dir>/v1 */
	char *gen_dir;           /* <dir>/v1/<generation> */
	char gen[33];            /* the generation, hex */
	unsigned char gen_bytes[16];
	const pl_ruleset *rules; /* borrowed */
	atomic_size_t hits, misses, writes, write_errors, corrupt;
	atomic_bool made_dirs;
};

/* --- where ------------------------------------------------------------------ */

char *pl_cache_default_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	if (xdg && xdg[0] == '/')
		return pl_path_join(xdg, "prodlint");
	const char *home = getenv("HOME");
	if (home && home[0] == '/')
		return pl_path_join(home, ".cache/prodlint");
	return NULL;
}

/* `path` resolved as far as it exists, the rest appended as written. */
static char *resolve_partly(const char *path)
{
	char *real = pl_xrealpath(path);
	if (real)
		return real;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return pl_xstrdup(path);
	char *parent = pl_xstrndup(path, (size_t)(slash - path));
	char *rp = resolve_partly(parent);
	free(parent);
	char *out = pl_path_join(rp, slash + 1);
	free(rp);
	return out;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The scanned repository: the root, and the work tree above it if any (the
 * first ancestor holding `.git`, as git finds it). */
static bool inside_repository(const char *cache_dir, const char *scan_root)
{
	char *root = pl_xrealpath(scan_root);
	if (!root)
		return false;
	char *dir = resolve_partly(cache_dir);
	bool inside = under(dir, root);
	char *top = pl_xstrdup(root);
	while (!inside) {
		char *dotgit = pl_path_join(top, ".git");
		struct stat st;
		bool found = lstat(dotgit, &st) == 0;
		free(dotgit);
		if (found) {
			inside = under(dir, top);
			break;
		}
		char *slash = strrchr(top, '/');
		if (!slash || slash == top)
			break;
		*slash = '\0';
	}
	free(top);
	free(dir);
	free(root);
	return inside;
}

/* --- the generation --------------------------------------------------------- */

typedef struct build_id {
	const unsigned char *bytes;
	size_t len;
} build_id;

/* The running program's NT_GNU_BUILD_ID note (the linker's hash of it). */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *ctx)
{
	(void)size;
	build_id *out = ctx;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const unsigned char *p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		const unsigned char *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
			size_t name = (nh->n_namesz + 3u) & ~3u, desc = (nh->n_descsz + 3u) & ~3u;
			const unsigned char *n = p + sizeof(ElfW(Nhdr));
			if (n + name + desc > end)
				break;
			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
			    memcmp(n, "GNU", 4) == 0) {
				out->bytes = n + name;
				out->len = nh->n_descsz;
				return 1;
			}
			p = n + name + desc;
		}
	}
	return 1; /* the first object is the program itself: stop there */
}

static void hash_binary(XXH3_state_t *st)
{
	build_id id = { NULL, 0 };
	dl_iterate_phdr(find_build_id, &id);
	if (id.len) {
		XXH3_128bits_update(st, id.bytes, id.len);
		return;
	}
	/* No build id: the binary's own bytes stand for it. */
	char *data;
	size_t len;
	if (pl_read_file("/proc/self/exe", (size_t)1 << 30, &data, &len) == PL_READ_OK) {
		XXH3_128bits_update(st, data, len);
		free(data);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void hash_str(XXH3_state_t *st, const char *s)
{
	XXH3_128bits_update(st, s, strlen(s) + 1);
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* See cache.h: format, binary, rule files' bytes, the rules that run. */
static void generation(const pl_ruleset *rules, unsigned char out[16])
{
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		pl_oom();
	XXH3_128bits_reset(st);
	char fmt[64];
	snprintf(fmt, sizeof(fmt), "prodlint-cache %d %s", PL_CACHE_FORMAT, PRODLINT_VERSION);
	hash_str(st, fmt);
	hash_binary(st);
	size_t n = rules->len + rules->ndropped;
	const char **files = pl_xcalloc(n ? n : 1, sizeof(char *));
	size_t nfiles = 0;
	for (size_t i = 0; i < rules->len; i++)
		if (rules->rules[i]->source_path)
			files[nfiles++] = rules->rules[i]->source_path;
	for (size_t i = 0; i < rules->ndropped; i++)
		if (rules->dropped[i]->source_path)
			files[nfiles++] = rules->dropped[i]->source_path;
	if (nfiles)
		qsort(files, nfiles, sizeof(char *), cmp_str);
	for (size_t i = 0; i < nfiles; i++) {
		if (i && strcmp(files[i], files[i - 1]) == 0)
			continue;
		char *data;
		size_t len;
		hash_str(st, "file");
		if (pl_read_file(files[i], (size_t)64 << 20, &data, &len) == PL_READ_OK) {
			unsigned long long n64 = len;
			XXH3_128bits_update(st, &n64, sizeof(n64));
			XXH3_128bits_update(st, data, len);
			free(data);
		} else {
			hash_str(st, files[i]); /* unreadable now: at least never equal to readable */
		}
	}
	free(files);
	hash_str(st, "rules");
	for (size_t i = 0; i < rules->len; i++)
		hash_str(st, rules->rules[i]->id);
	XXH128_canonical_t c;
	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(st));
	memcpy(out, c.digest, 16);
	XXH3_freeState(st);
}

pl_cache *pl_cache_open(const char *dir, const pl_ruleset *rules, const char *scan_root,
			const char **why)
{
	*why = NULL;
	if (!dir || dir[0] != '/') {
		*why = "no cache directory ($XDG_CACHE_HOME and $HOME are unset)";
		return NULL;
	}
	if (scan_root && inside_repository(dir, scan_root)) {
		*why = "the cache directory is inside the scanned repository";
		return NULL;
	}
	pl_cache *c = pl_xcalloc(1, sizeof(*c));
	c->dir = pl_xstrdup(dir);
	char v[16];
	snprintf(v, sizeof(v), "v%d", PL_CACHE_FORMAT);
	c->version_dir = pl_path_join(dir, v);
	c->rules = rules;
	generation(rules, c->gen_bytes);
	to_hex(c->gen_bytes, 8, c->gen);
	c->gen_dir = pl_path_join(c->version_dir, c->gen);
	/* Mark the generation used (pruning goes by it); no-op before the first store. */
	char *used = pl_path_join(c->gen_dir, ".used");
	utimensat(AT_FDCWD, used, NULL, 0);
	free(used);
	return c;
}

const char *pl_cache_generation_dir(const pl_cache *c)
{
	return c->gen_dir;
}

void pl_cache_get_stats(const pl_cache *c, pl_cache_stats *out)
{
	out->hits = atomic_load(&((pl_cache *)c)->hits);
	out->misses = atomic_load(&((pl_cache *)c)->misses);
	out->writes = atomic_load(&((pl_cache *)c)->writes);
	out->write_errors = atomic_load(&((pl_cache *)c)->write_errors);
	out->corrupt = atomic_load(&((pl_cache *)c)->corrupt);
}

/* --- entries ------------------------------------------------------------------ */

static void entry_key(const pl_cache *c, const pl_file *file, const char *text, size_t len,
		      char hex[33])
{
	XXH3_state_t *st = XXH3_createState();
	if (!st)
		pl_oom();
	XXH3_128bits_reset(st);
	XXH3_128bits_update(st, c->gen_bytes, sizeof(c->gen_bytes));
	hash_str(st, file->path);
	hash_str(st, file->lang ? file->lang->name : "");
	int kind = file->lang && pl_config_possible_kinds(file->lang)
			   ? (int)pl_config_kind_from_path(file->path, file->fs_path, file->lang)
			   : -1;
	XXH3_128bits_update(st, &kind, sizeof(kind));
	XXH3_128bits_update(st, text, len);
	XXH128_canonical_t can;
	XXH128_canonicalFromHash(&can, XXH3_128bits_digest(st));
	XXH3_freeState(st);
	to_hex(can.digest, 16, hex);
}

/* <gen>/<2 hex>/<30 hex>; caller frees. */
static char *entry_path(const pl_cache *c, const char *hex)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_addf(&sb, "%s/%.2s/%s", c->gen_dir, hex, hex + 2);
	return pl_strbuf_detach(&sb);
}

static json_t *diags_json(const pl_diags *d)
{
	json_t *a = json_array();
	for (size_t i = 0; i < d->len; i++) {
		const pl_diag *x = &d->items[i];
		json_array_append_new(a, json_pack("[s?,I,I,s]", x->path, (json_int_t)x->line,
						   (json_int_t)x->col, x->message));
	}
	return a;
}

static json_t *output_json(const char *key, const pl_file *file, const pl_file_output *out)
{
	json_t *findings = json_array();
	for (size_t i = 0; i < out->findings.len; i++) {
		const pl_finding *f = &out->findings.items[i];
		json_array_append_new(findings,
				      json_pack("[s,s,I,I,I,I,s,s,s]", f->rule->id, f->path,
						(json_int_t)f->line, (json_int_t)f->column,
						(json_int_t)f->end_line, (json_int_t)f->end_column,
						f->message, f->snippet, f->matched));
	}
	json_t *facts = json_array();
	for (size_t i = 0; i < out->facts.len; i++) {
		const pl_fact *f = &out->facts.items[i];
		json_array_append_new(facts, json_pack("[s,s,I,I,s]", f->name, f->path,
						       (json_int_t)f->line, (json_int_t)f->column,
						       f->detail));
	}
	json_t *unchecked = json_array();
	for (size_t i = 0; i < out->nunchecked; i++)
		json_array_append_new(unchecked, json_string(out->unchecked[i]));
	return json_pack("{s:i,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "format", PL_CACHE_FORMAT,
			 "key", key, "path", file->path, "findings", findings, "facts", facts,
			 "unchecked", unchecked, "errors",
			 diags_json(&out->errors), "skipped", diags_json(&out->skipped), "ci",
			 out->ci ? pl_ci_to_json(out->ci) : json_array(), "k8s",
			 out->k8s ? pl_k8s_to_json(out->k8s) : json_null());
}

static bool read_line_col(json_int_t line, json_int_t col)
{
	return line >= 0 && col >= 0 && line <= 0xffffffffll && col <= 0xffffffffll;
}

static int read_diags(const json_t *a, pl_diags *out)
{
	if (!json_is_array(a))
		return -1;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *msg;
		json_t *path;
		json_int_t line, col;
		if (json_unpack(json_array_get(a, i), "[o,I,I,s]", &path, &line, &col, &msg) < 0 ||
		    !read_line_col(line, col) || !(json_is_null(path) || json_is_string(path)))
			return -1;
		pl_diags_add(out, json_string_value(path), (unsigned)line, (unsigned)col, "%s", msg);
	}
	return 0;
}

/* Fill `out` (freshly initialised) from an entry; -1 leaves partial contents. */
static int read_output(const pl_cache *c, const json_t *j, const char *key, const pl_file *file,
		       pl_file_output *out)
{
	int format;
	const char *k, *path;
	json_t *findings, *facts, *unchecked, *errors, *skipped, *ci, *k8s;
	if (json_unpack((json_t *)j, "{s:i,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "format", &format,
			"key", &k, "path", &path, "findings", &findings, "facts", &facts,
			"unchecked", &unchecked, "errors", &errors, "skipped", &skipped, "ci", &ci,
			"k8s", &k8s) < 0 ||
	    format != PL_CACHE_FORMAT || strcmp(k, key) != 0 || strcmp(path, file->path) != 0 ||
	    !json_is_array(findings) || !json_is_array(facts) || !json_is_array(unchecked))
		return -1;
	for (size_t i = 0; i < json_array_size(unchecked); i++) {
		const char *name = json_string_value(json_array_get(unchecked, i));
		if (!name)
			return -1;
		pl_file_output_unchecked(out, name);
	}
	for (size_t i = 0; i < json_array_size(findings); i++) {
		const char *id, *fpath, *msg, *snippet, *matched;
		json_int_t line, col, eline, ecol;
		if (json_unpack(json_array_get(findings, i), "[s,s,I,I,I,I,s,s,s]", &id, &fpath,
				&line, &col, &eline, &ecol, &msg, &snippet, &matched) < 0 ||
		    !read_line_col(line, col) || !read_line_col(eline, ecol))
			return -1;
		const pl_rule *rule = pl_ruleset_find(c->rules, id);
		if (!rule)
			return -1; /* a rule that no longer runs: the entry is stale */
		pl_finding f = {
			.rule = rule,
			.path = pl_xstrdup(fpath),
			.line = (unsigned)line,
			.column = (unsigned)col,
			.end_line = (unsigned)eline,
			.end_column = (unsigned)ecol,
			.message = pl_xstrdup(msg),
			.snippet = pl_xstrdup(snippet),
			.matched = pl_xstrdup(matched),
		};
		pl_findings_push(&out->findings, &f);
	}
	for (size_t i = 0; i < json_array_size(facts); i++) {
		const char *name, *fpath, *detail;
		json_int_t line, col;
		if (json_unpack(json_array_get(facts, i), "[s,s,I,I,s]", &name, &fpath, &line, &col,
				&detail) < 0 ||
		    !read_line_col(line, col))
			return -1;
		pl_facts_add(&out->facts, name, fpath, (unsigned)line, (unsigned)col, "%s", detail);
	}
	if (read_diags(errors, &out->errors) < 0 || read_diags(skipped, &out->skipped) < 0)
		return -1;
	if (out->ci && pl_ci_read_json(out->ci, ci) < 0)
		return -1;
	if (out->k8s && !json_is_null(k8s) && pl_k8s_read_json(out->k8s, k8s) < 0)
		return -1;
	return 0;
}

bool pl_cache_load(pl_cache *c, const pl_file *file, const char *text, size_t len,
		   pl_file_output *out)
{
	char key[33];
	entry_key(c, file, text, len, key);
	char *path = entry_path(c, key);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (fd < 0) {
		atomic_fetch_add(&c->misses, 1);
		return false;
	}
	struct stat st;
	json_t *j = NULL;
	bool ok = false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= ENTRY_MAX) {
		char *buf = pl_xmalloc((size_t)st.st_size + 1);
		size_t got = 0;
		while (got < (size_t)st.st_size) {
			ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
		if (got == (size_t)st.st_size)
			j = json_loadb(buf, got, 0, NULL);
		free(buf);
	}
	if (j) {
		ok = read_output(c, j, key, file, out) == 0;
		json_decref(j);
	}
	/* Used entries stay young for pruning; at most one write a day each. */
	if (ok && st.st_mtime < time(NULL) - DAY)
		futimens(fd, NULL);
	close(fd);
	if (!ok) {
		/* Back to empty: the scan fills it afresh. */
		pl_file_output_release(out);
		pl_file_output_init(out);
		atomic_fetch_add(&c->corrupt, 1);
		atomic_fetch_add(&c->misses, 1);
		return false;
	}
	atomic_fetch_add(&c->hits, 1);
	return true;
}

static int mkdir_p(const char *path)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return -1;
	char *parent = pl_xstrndup(path, (size_t)(slash - path));
	int rc = mkdir_p(parent);
	free(parent);
	if (rc < 0)
		return -1;
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* Write `data` to `path` through a temporary file beside it and rename. No
 * fsync: a cache entry lost in a crash is a miss, and a torn one fails to parse. */
static int write_entry(const char *path, const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	pl_strbuf tmp = PL_STRBUF_INIT;
	pl_strbuf_add(&tmp, path, (size_t)(slash - path));
	pl_strbuf_adds(&tmp, "/.tmp-XXXXXX");
	int fd = mkstemp(tmp.buf);
	if (fd < 0) {
		pl_strbuf_release(&tmp);
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	int rc = (close(fd) == 0 && done == len && rename(tmp.buf, path) == 0) ? 0 : -1;
	if (rc < 0)
		unlink(tmp.buf);
	pl_strbuf_release(&tmp);
	return rc;
}

void pl_cache_store(pl_cache *c, const pl_file *file, const char *text, size_t len,
		    const pl_file_output *out)
{
	if (atomic_load(&c->write_errors) >= WRITE_ERRORS_MAX)
		return;
	char key[33];
	entry_key(c, file, text, len, key);
	json_t *j = output_json(key, file, out);
	char *data = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	char *path = entry_path(c, key);
	char *dir = pl_xstrndup(path, (size_t)(strrchr(path, '/') - path));
	bool fresh = !atomic_load(&c->made_dirs);
	int rc = data && mkdir_p(dir) == 0 ? write_entry(path, data, strlen(data)) : -1;
	if (rc == 0 && fresh && !atomic_exchange(&c->made_dirs, true)) {
		/* The generation's first entry this run: mark it used. */
		char *used = pl_path_join(c->gen_dir, ".used");
		int fd = open(used, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			futimens(fd, NULL);
			close(fd);
		}
		free(used);
	}
	atomic_fetch_add(rc == 0 ? &c->writes : &c->write_errors, 1);
	free(dir);
	free(path);
	free(data);
}

static bool hook_load(void *ctx, const pl_file *file, const char *text, size_t len,
		      pl_file_output *out)
{
	return pl_cache_load(ctx, file, text, len, out);
}

static void hook_store(void *ctx, const pl_file *file, const char *text, size_t len,
		       const pl_file_output *out)
{
	pl_cache_store(ctx, file, text, len, out);
}

pl_scan_cache pl_cache_hooks(pl_cache *c)
{
	return (pl_scan_cache){ hook_load, hook_store, c };
}

/* --- pruning ---------------------------------------------------------------- */

typedef struct entry_info {
	char *path;
	time_t mtime;
	uint64_t size;
} entry_info;

typedef struct entry_list {
	entry_info *items;
	size_t len, cap;
	uint64_t total;
} entry_list;

/* Remove a tree we own (no symlinks followed: they are unlinked). */
static size_t remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0;
	size_t n = 0;
	DIR *d = pl_xopendir(path);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			char *child = pl_path_join(path, de->d_name);
			n += remove_tree(child);
			free(child);
		}
		closedir(d);
	}
	return n + (rmdir(path) == 0);
}

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* Every entry of a generation; stale temporary files are removed on the way. */
static size_t list_entries(const char *gen_dir, time_t now, entry_list *out)
{
	size_t removed = 0;
	DIR *d = pl_xopendir(gen_dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_hex(de->d_name, 2))
			continue;
		char *sub = pl_path_join(gen_dir, de->d_name);
		DIR *sd = pl_xopendir(sub);
		struct dirent *e;
		while (sd && (e = readdir(sd)) != NULL) {
			if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
				char *tmp = pl_path_join(sub, e->d_name);
				struct stat st;
				if (strncmp(e->d_name, ".tmp-", 5) == 0 && lstat(tmp, &st) == 0 &&
				    st.st_mtime < now - 3600)
					removed += unlink(tmp) == 0;
				free(tmp);
				continue;
			}
			if (!is_hex(e->d_name, 30))
				continue;
			char *p = pl_path_join(sub, e->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode)) {
				PL_GROW(out->items, out->cap, out->len + 1);
				out->items[out->len++] = (entry_info){ p, st.st_mtime, (uint64_t)st.st_size };
				out->total += (uint64_t)st.st_size;
			} else {
				free(p);
			}
		}
		if (sd)
			closedir(sd);
		free(sub);
	}
	closedir(d);
	return removed;
}

typedef struct generation_info {
	char *name;
	time_t used;
} generation_info;

static int by_used_desc(const void *a, const void *b)
{
	const generation_info *x = a, *y = b;
	return (x->used < y->used) - (x->used > y->used);
}

static int by_mtime(const void *a, const void *b)
{
	const entry_info *x = a, *y = b;
	return (x->mtime > y->mtime) - (x->mtime < y->mtime);
}

size_t pl_cache_prune(const char *dir, time_t now, const pl_cache_limits *limits,
		      const char *keep)
{
	size_t removed = 0;
	char version[16];
	snprintf(version, sizeof(version), "v%d", PL_CACHE_FORMAT);
	DIR *d = pl_xopendir(dir);
	if (!d)
		return 0;
	/* Other format versions: not readable by this binary, so not ours to keep. */
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == 'v' && strcmp(de->d_name, version) != 0 &&
		    strspn(de->d_name + 1, "0123456789") == strlen(de->d_name + 1) && de->d_name[1]) {
			char *old = pl_path_join(dir, de->d_name);
			removed += remove_tree(old);
			free(old);
		}
	}
	closedir(d);

	char *vdir = pl_path_join(dir, version);
	generation_info *gens = NULL;
	size_t ngens = 0, capg = 0;
	d = pl_xopendir(vdir);
	while (d && (de = readdir(d)) != NULL) {
		if (!is_hex(de->d_name, 16))
			continue;
		char *g = pl_path_join(vdir, de->d_name);
		char *used = pl_path_join(g, ".used");
		struct stat st;
		time_t t = lstat(used, &st) == 0 ? st.st_mtime : (lstat(g, &st) == 0 ? st.st_mtime : 0);
		free(used);
		free(g);
		PL_GROW(gens, capg, ngens + 1);
		gens[ngens++] = (generation_info){ pl_xstrdup(de->d_name), t };
	}
	if (d)
		closedir(d);
	if (ngens > 1)
		qsort(gens, ngens, sizeof(generation_info), by_used_desc);
	entry_list entries = { NULL, 0, 0, 0 };
	unsigned kept = 0; /* the current generation counts, whatever its age */
	for (size_t i = 0; i < ngens; i++)
		kept += keep && strcmp(gens[i].name, keep) == 0;
	for (size_t i = 0; i < ngens; i++) {
		char *g = pl_path_join(vdir, gens[i].name);
		bool mine = keep && strcmp(gens[i].name, keep) == 0;
		if (!mine && (gens[i].used < now - limits->max_age || kept >= limits->max_generations)) {
			removed += remove_tree(g);
		} else {
			kept += !mine;
			removed += list_entries(g, now, &entries);
		}
		free(g);
		free(gens[i].name);
	}
	free(gens);
	/* Over the size bound: least recently used entries first, down to 3/4. */
	if (entries.total > limits->max_bytes) {
		if (entries.len > 1)
			qsort(entries.items, entries.len, sizeof(entry_info), by_mtime);
		uint64_t target = limits->max_bytes / 4 * 3;
		for (size_t i = 0; i < entries.len && entries.total > target; i++) {
			if (unlink(entries.items[i].path) == 0) {
				removed++;
				entries.total -= entries.items[i].size;
			}
		}
	}
	for (size_t i = 0; i < entries.len; i++)
		free(entries.items[i].path);
	free(entries.items);
	free(vdir);
	return removed;
}

void pl_cache_close(pl_cache *c)
{
	if (!c)
		return;
	if (atomic_load(&c->writes)) {
		/* At most once a day, by a run that wrote something. */
		char *stamp = pl_path_join(c->version_dir, ".pruned");
		struct stat st;
		if (lstat(stamp, &st) < 0 || st.st_mtime < time(NULL) - DAY) {
			int fd = open(stamp, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
			if (fd >= 0) {
				futimens(fd, NULL);
				close(fd);
			}
			pl_cache_limits lim = PL_CACHE_LIMITS_DEFAULT;
			pl_cache_prune(c->dir, time(NULL), &lim, c->gen);
		}
		free(stamp);
	}
	free(c->dir);
	free(c->version_dir);
	free(c->gen_dir);
	free(c);
}
