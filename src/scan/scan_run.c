/*
 * pl_scan: the whole scan, full or targeted (scan.h): walk, workers, merge
 * in file order, the repository phase, which repository-level findings a
 * change is part of, suppressions, changed lines.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/kind.h"
#include "scan/scan_private.h"
#include "util/fs.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* --- workers ------------------------------------------------------------------ */

typedef struct file_slot {
	pl_file_output out;
	bool scanned, binary, no_rules, too_large, cached;
	bool pending;            /* a cache miss the lookup pass left for the scanning pass */
	size_t bytes;
	size_t suppressed;
	pl_suppressions sups;    /* kept for the repository phase's findings, then reported */
	bool complete;           /* scanned without error or skip: unused ones can be judged */
} file_slot;

/* One file for the workers. */
typedef struct scan_job {
	const pl_file *file;
	file_slot *slot;
	const char *text;        /* given content (a staged or earlier blob), or NULL: the file's */
	size_t len;
	bool report;             /* reported on: its suppressions are applied right away */
} scan_job;

typedef struct shared {
	const pl_ruleset *rules;
	const pl_ci_classifier *ci;
	scan_job *jobs;
	size_t njobs;
	size_t *order;           /* jobs by size, largest first, with threads; NULL: in order */
	atomic_size_t next;
	const pl_suppress_config *suppress; /* NULL with --no-inline-suppressions */
	bool no_prefilter;
	const pl_scan_cache *cache;         /* NULL: none */
	size_t max_file_size;               /* given content, and files that grew since the walk */
	/* With a cache, a lookup pass first (misses left pending), then the
	 * queries are compiled for the misses' languages only, and a scanning
	 * pass takes the misses: a warm run compiles nothing. */
	bool lookup, second;
	pl_fact_settling *settling;         /* NULL: every fact checked in every file */
} shared;

static bool any_rule_for(const pl_ruleset *rules, const pl_file *file)
{
	const pl_language *lang = file->lang;
	if (pl_language_is_declaration_file(lang, file->path)) {
		/* only queries: such a file is no config either */
		for (size_t i = 0; i < rules->len; i++)
			for (size_t m = 0; m < rules->rules[i]->matchers_len; m++) {
				const pl_rule_matcher *mt = &rules->rules[i]->matchers[m];
				if (mt->language == lang && pl_rule_matcher_applies(mt, file->path))
					return true;
			}
		return false;
	}
	unsigned ci_kinds = (1u << PL_KIND_GITHUB_ACTIONS) | (1u << PL_KIND_GITLAB_CI) |
			    (1u << PL_KIND_KUBERNETES);
	for (size_t i = 0; i < rules->len; i++) {
		if (pl_rule_applies_to(rules->rules[i], lang))
			return true;
		/* Repo rules need the CI model, read from YAML files. */
		if (rules->rules[i]->repo && (pl_config_possible_kinds(lang) & ci_kinds))
			return true;
	}
	return false;
}

static bool looks_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < 8192 ? len : 8192) != NULL;
}

static void run_job(shared *sh, const pl_scan_context *ctx, const scan_job *job)
{
	const pl_file *file = job->file;
	file_slot *slot = job->slot;
	if (!sh->second)
		pl_file_output_init(&slot->out);
	slot->pending = false;
	if (!any_rule_for(sh->rules, file)) {
		slot->no_rules = true; /* nothing could match: do not even read it */
		return;
	}
	char *data = NULL;
	const char *text = job->text;
	size_t len = job->len;
	if (text && len > sh->max_file_size) {
		slot->too_large = true;
		return;
	}
	if (!text) {
		/* Size was checked by the walker; a file that grew past the limit
		 * since is left out as the walker would have. */
		pl_read_status st = pl_read_file(file->fs_path, sh->max_file_size, &data, &len);
		if (st == PL_READ_TOO_LARGE) {
			slot->too_large = true;
			return;
		}
		if (st != PL_READ_OK) {
			pl_diags_add(&slot->out.errors, file->path, 0, 0, "cannot read: %s",
				     errno == EINVAL ? "no longer a regular file" : strerror(errno));
			return;
		}
		text = data;
	}
	slot->bytes = len;
	/* UTF-16 with a byte order mark (Windows editors, PowerShell's `>`): read
	 * as UTF-8 rather than skipped for its NUL bytes. */
	char *utf8;
	size_t utf8_len;
	if (pl_utf16_to_utf8(text, len, &utf8, &utf8_len)) {
		free(data);
		text = data = utf8;
		len = utf8_len;
	}
	if (looks_binary(text, len)) {
		slot->binary = true;
		free(data);
		return;
	}
	if (sh->cache && !sh->second && sh->cache->load(sh->cache->ctx, file, text, len, &slot->out)) {
		slot->cached = true;
	} else if (sh->lookup) {
		slot->pending = true;
		slot->bytes = 0;
		free(data);
		return;
	} else {
		pl_scan_file_text(ctx, file, text, len, &slot->out);
		if (sh->cache)
			sh->cache->store(sh->cache->ctx, file, text, len, &slot->out);
	}
	/* Suppressions right away, per file: everything after sees only what is
	 * reported. The list stays for the repo findings (finish_suppressions). */
	if (sh->suppress && job->report) {
		pl_scan_collect_suppressions(ctx->parser, file, text, len, &slot->sups);
		if (slot->sups.len)
			slot->suppressed = pl_suppress_apply(sh->suppress, &slot->sups,
							     &slot->out.findings);
		slot->complete = !slot->out.errors.len && !slot->out.skipped.len;
	}
	slot->scanned = true;
	free(data);
}

static void *worker(void *arg)
{
	shared *sh = arg;
	TSParser *parser = ts_parser_new();
	pl_scan_context ctx = { sh->rules, parser, sh->ci, sh->no_prefilter, sh->settling,
				pl_probe_buffers_new() };
	for (;;) {
		size_t n = atomic_fetch_add(&sh->next, 1);
		size_t i = n < sh->njobs && sh->order ? sh->order[n] : n;
		pl_oom_set_file(i < sh->njobs ? sh->jobs[i].file->path : NULL); /* named on OOM */
		if (i >= sh->njobs)
			break;
		run_job(sh, &ctx, &sh->jobs[i]);
	}
	pl_probe_buffers_delete(ctx.probe_buffers);
	ts_parser_delete(parser);
	return NULL;
}

/* A job's size, to order the work by. */
typedef struct sized_job {
	size_t size, index;
} sized_job;

static int by_size_desc(const void *a, const void *b)
{
	const sized_job *x = a, *y = b;
	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Job indexes, largest first, then in path order: a large file started last
 * would keep one thread busy while the others wait. Results go to each
 * job's slot, so the order of work changes no output. */
static size_t *largest_first(const scan_job *jobs, size_t n)
{
	sized_job *sized = pl_xcalloc(n ? n : 1, sizeof(sized_job));
	for (size_t i = 0; i < n; i++)
		sized[i] = (sized_job){ jobs[i].text ? jobs[i].len : jobs[i].file->size, i };
	qsort(sized, n, sizeof(sized_job), by_size_desc);
	size_t *order = pl_xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		order[i] = sized[i].index;
	free(sized);
	return order;
}

static void run_workers(shared *sh, unsigned jobs)
{
	atomic_store(&sh->next, 0);
	if (jobs > sh->njobs)
		jobs = sh->njobs ? (unsigned)sh->njobs : 1;
	if (jobs <= 1) {
		worker(sh); /* one thread: path order */
		return;
	}
	sh->order = largest_first(sh->jobs, sh->njobs);
	pthread_t *threads = pl_xcalloc(jobs, sizeof(pthread_t));
	unsigned started = 0;
	for (; started < jobs; started++)
		if (pthread_create(&threads[started], NULL, worker, sh) != 0)
			break;
	if (started == 0)
		worker(sh);
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	free(threads);
	free(sh->order);
	sh->order = NULL;
}

/*
 * A file not checked for a fact relies on another file showing it. In a
 * fresh scan one did; a cached output may rely on a file that no longer
 * shows it. Such files are scanned again, checked for every fact.
 */
static void check_unchecked(shared *sh, unsigned threads)
{
	scan_job *all = sh->jobs;
	size_t nall = sh->njobs;
	/* the names of the facts shown (a handful: a list will do) */
	char **shown = NULL;
	size_t nshown = 0, cap = 0;
	for (size_t i = 0; i < nall; i++) {
		const pl_facts *facts = &all[i].slot->out.facts;
		for (size_t k = 0; k < facts->len; k++) {
			if (pl_text_listed(shown, nshown, facts->items[k].name))
				continue;
			PL_GROW(shown, cap, nshown + 1);
			shown[nshown++] = facts->items[k].name;
		}
	}
	scan_job *redo = pl_xcalloc(nall ? nall : 1, sizeof(scan_job));
	size_t nredo = 0;
	for (size_t i = 0; i < nall; i++) {
		const pl_file_output *o = &all[i].slot->out;
		bool relied = false;
		for (size_t k = 0; k < o->nunchecked && !relied; k++)
			relied = !pl_text_listed(shown, nshown, o->unchecked[k]);
		if (relied)
			redo[nredo++] = all[i];
	}
	free(shown); /* the array only: the names are the outputs' */
	for (size_t i = 0; i < nredo; i++) {
		file_slot *slot = redo[i].slot;
		pl_file_output_release(&slot->out);
		pl_suppressions_release(&slot->sups);
		memset(slot, 0, sizeof(*slot));
		pl_file_output_init(&slot->out);
	}
	if (nredo) {
		pl_fact_settling *settling = sh->settling;
		sh->settling = NULL;
		sh->jobs = redo;
		sh->njobs = nredo;
		sh->second = true; /* neither the cache's answer nor a fresh output */
		run_workers(sh, threads);
		sh->second = false;
		sh->jobs = all;
		sh->njobs = nall;
		sh->settling = settling;
	}
	free(redo);
}

/*
 * Run `sh->jobs`: compile the deferred queries for the languages the files
 * need (rule.h), then scan. With a cache, hits first and compile for the
 * misses only. Returns -1 if a deferred query does not compile.
 */
static int scan_jobs(shared *sh, pl_ruleset *rules, unsigned threads, pl_diags *errors)
{
	scan_job *all = sh->jobs;
	size_t nall = sh->njobs;
	scan_job *todo = all;
	size_t ntodo = nall;
	if (sh->cache) {
		sh->lookup = true;
		run_workers(sh, threads);
		sh->lookup = false;
		todo = pl_xcalloc(nall ? nall : 1, sizeof(scan_job));
		ntodo = 0;
		for (size_t i = 0; i < nall; i++) {
			if (all[i].slot->pending)
				todo[ntodo++] = all[i];
			else
				pl_fact_settling_saw_all(sh->settling, &all[i].slot->out.facts);
		}
	}
	unsigned langs = 0;
	for (size_t i = 0; i < ntodo; i++)
		langs |= pl_language_bit(todo[i].file->lang);
	int rc = 0;
	if (ntodo && pl_ruleset_prepare(rules, langs, threads, errors) < 0) {
		rc = -1;
	} else if (ntodo) {
		sh->jobs = todo;
		sh->njobs = ntodo;
		sh->second = sh->cache != NULL;
		run_workers(sh, threads);
		sh->second = false;
		sh->jobs = all;
		sh->njobs = nall;
	}
	if (todo != all)
		free(todo);
	if (rc == 0 && sh->settling)
		check_unchecked(sh, threads);
	return rc;
}

/* --- targets ------------------------------------------------------------------- */

typedef struct target {
	char *path;              /* owned */
	bool deleted;
	const char *text;        /* borrowed (pl_scan_target) */
	size_t len;
	const pl_line_ranges *lines;
	bool present;            /* in the file list: scanned and reported on */
} target;

typedef struct target_set {
	target *items;           /* sorted by path, unique */
	size_t len, cap;
} target_set;

static int cmp_target(const void *a, const void *b)
{
	return strcmp(((const target *)a)->path, ((const target *)b)->path);
}

static target *target_find(const target_set *ts, const char *path)
{
	target key = { .path = (char *)path };
	return ts->len ? bsearch(&key, ts->items, ts->len, sizeof(target), cmp_target) : NULL;
}

static void target_add(target_set *ts, const target *t)
{
	PL_GROW(ts->items, ts->cap, ts->len + 1);
	ts->items[ts->len] = *t;
	ts->items[ts->len++].path = pl_xstrdup(t->path);
}

/* Sort; a path named twice keeps its first entry (explicit paths come last). */
static void target_finish(target_set *ts)
{
	if (ts->len > 1)
		qsort(ts->items, ts->len, sizeof(target), cmp_target);
	size_t k = 0;
	for (size_t i = 0; i < ts->len; i++) {
		if (k && strcmp(ts->items[k - 1].path, ts->items[i].path) == 0) {
			free(ts->items[i].path);
			continue;
		}
		ts->items[k++] = ts->items[i];
	}
	ts->len = k;
}

static void target_set_release(target_set *ts)
{
	for (size_t i = 0; i < ts->len; i++)
		free(ts->items[i].path);
	free(ts->items);
	memset(ts, 0, sizeof(*ts));
}

static bool reported_path(const target_set *ts, const char *path)
{
	const target *t = target_find(ts, path);
	return t && t->present;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const pl_file *)a)->path, ((const pl_file *)b)->path);
}

static void file_list_add(pl_file_list *list, const char *path, const char *fs_path,
			  const pl_language *lang)
{
	PL_GROW(list->items, list->cap, list->len + 1);
	pl_file *f = &list->items[list->len++];
	f->path = pl_xstrdup(path);
	f->fs_path = pl_xstrdup(fs_path);
	f->lang = lang;
	f->size = 0;
}

static pl_file *file_find(const pl_file_list *list, const char *path)
{
	pl_file key = { .path = (char *)path };
	return list->len ? bsearch(&key, list->items, list->len, sizeof(pl_file), by_path) : NULL;
}

/* Sort by path and drop repeats (a file both walked and named). */
static void file_list_finish(pl_file_list *list)
{
	if (list->len > 1)
		qsort(list->items, list->len, sizeof(pl_file), by_path);
	size_t k = 0;
	for (size_t i = 0; i < list->len; i++) {
		if (k && strcmp(list->items[k - 1].path, list->items[i].path) == 0) {
			free(list->items[i].path);
			free(list->items[i].fs_path);
			continue;
		}
		list->items[k++] = list->items[i];
	}
	list->len = k;
}

/* Drop `path` from the walk's results (a deletion still on disk). */
static void file_list_remove(pl_file_list *list, const char *path)
{
	pl_file *f = file_find(list, path);
	if (f) {
		free(f->path);
		free(f->fs_path);
		size_t i = (size_t)(f - list->items);
		memmove(f, f + 1, (list->len - i - 1) * sizeof(pl_file));
		list->len--;
	}
	for (size_t i = 0; i < list->others_len; i++) {
		if (strcmp(list->others[i], path) == 0) {
			free(list->others[i]);
			list->others[i] = list->others[--list->others_len];
			break;
		}
	}
}

/* The language of content not on disk, as the walk would pick it (walk.c):
 * by extension, else by shebang when the name has no extension. */
static const pl_language *language_of(const char *path, const char *text, size_t len)
{
	const pl_language *lang = pl_language_for_path(path, NULL, 0);
	if (lang)
		return lang;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (strchr(base, '.') && base[0] != '.')
		return NULL;
	return len > 2 ? pl_language_for_path(path, text, len < 256 ? len : 256) : NULL;
}

static bool excluded(const pl_walk_options *opt, const char *path)
{
	return opt->exclude && opt->exclude(path, false, opt->exclude_ctx);
}

/*
 * The targets of a targeted scan: what explicit paths name (walked as
 * before, so ignore files and excludes apply as they always did) and the
 * changed files, which must also be files the root's walk keeps (a staged
 * file that .prodlintignore leaves out is left out here too). Changed files
 * gone from disk but staged are added from their content.
 */
static void resolve_targets(const char *root, const pl_file_list *named,
			    const pl_scan_options *opt, pl_file_list *files, target_set *ts)
{
	if (named->len) {
		for (size_t i = 0; i < named->len; i++) {
			const pl_file *f = &named->items[i];
			target t = { .path = f->path };
			target_add(ts, &t);
			if (!file_find(files, f->path))
				file_list_add(files, f->path, f->fs_path, f->lang);
		}
		file_list_finish(files);
	}
	for (size_t i = 0; i < opt->ntargets; i++) {
		const pl_scan_target *in = &opt->targets[i];
		target t = { .path = (char *)in->path, .deleted = in->deleted, .text = in->text,
			     .len = in->len, .lines = in->lines };
		if (in->deleted) {
			file_list_remove(files, in->path);
			target_add(ts, &t);
			continue;
		}
		if (!file_find(files, in->path)) {
			char *fs = pl_path_join(root, in->path);
			struct stat st;
			bool on_disk = lstat(fs, &st) == 0;
			const pl_language *lang = in->text ? language_of(in->path, in->text, in->len) : NULL;
			/* On disk but not walked: ignored, excluded or not a language we
			 * parse; the full scan leaves it out, so do we. */
			if (!on_disk && lang && !excluded(&opt->walk, in->path)) {
				file_list_add(files, in->path, fs, lang);
				file_list_finish(files);
			}
			free(fs);
			if (!file_find(files, in->path))
				continue;
		}
		target_add(ts, &t);
	}
	target_finish(ts);
	for (size_t i = 0; i < ts->len; i++)
		ts->items[i].present = !ts->items[i].deleted && file_find(files, ts->items[i].path);
}

/* --- merging and the repository phase --------------------------------------- */

static void copy_diags(pl_diags *to, const pl_diags *from)
{
	for (size_t k = 0; k < from->len; k++) {
		const pl_diag *d = &from->items[k];
		pl_diags_add(to, d->path, d->line, d->col, "%s", d->message);
	}
}

static void copy_facts(pl_facts *to, const pl_facts *from)
{
	for (size_t i = 0; i < from->len; i++) {
		const pl_fact *f = &from->items[i];
		pl_facts_add(to, f->name, f->path, f->line, f->column, "%s", f->detail);
	}
}

/* What the files contributed: models and facts, split into the files a
 * change is about and the others (the context, the same before and after). */
typedef struct gathered {
	pl_ci *ci[2];            /* [0] context, [1] reported files */
	pl_k8s *k8s[2];
	pl_facts facts[2];
} gathered;

static void gathered_init(gathered *g)
{
	memset(g, 0, sizeof(*g));
	for (int i = 0; i < 2; i++) {
		g->ci[i] = pl_ci_new();
		g->k8s[i] = pl_k8s_new();
	}
}

static void gathered_release(gathered *g)
{
	for (int i = 0; i < 2; i++) {
		pl_ci_delete(g->ci[i]);
		pl_k8s_delete(g->k8s[i]);
		pl_facts_release(&g->facts[i]);
	}
}

static void gather(gathered *g, int part, pl_file_output *o)
{
	pl_facts_take(&g->facts[part], &o->facts);
	if (o->ci)
		pl_ci_take(g->ci[part], o->ci);
	if (o->k8s)
		pl_k8s_take(g->k8s[part], o->k8s);
}

/* The repository phase over the context plus one set of changed files'
 * contributions; `facts` holds the context's and theirs on entry. */
static void repo_phase(const pl_ruleset *rules, const char *root, const char *const *seen,
		       size_t nseen, const pl_ci *ctx_ci, const pl_ci *ci, const pl_k8s *ctx_k8s,
		       const pl_k8s *k8s, pl_facts *facts, pl_findings *out)
{
	const pl_ci *ci_parts[2] = { ctx_ci, ci };
	const pl_k8s *k8s_parts[2] = { ctx_k8s, k8s };
	pl_ci *ci_view = pl_ci_view_new(ci_parts, 2);
	pl_k8s *k8s_view = pl_k8s_view_new(k8s_parts, 2);
	pl_repo_inputs in = { root, seen, nseen, ci_view, k8s_view };
	pl_scan_repo_phase(rules, &in, facts, out);
	pl_ci_view_delete(ci_view);
	pl_k8s_view_delete(k8s_view);
}

/* --- which repository-level findings a change is part of ------------------- */

/*
 * The change holds evidence for a repository-level finding: it is reported
 * in a target file, or a target file holds a fact its rule's `when` names
 * (for a per-evidence rule, the other `when` facts: each finding is its own
 * evidence's).
 */
static bool evidence_in_targets(const pl_finding *f, const pl_facts *facts, const target_set *ts)
{
	if (reported_path(ts, f->path))
		return true;
	const pl_repo_matcher *m = f->rule->repo;
	const char *at = m->at ? m->at : (m->nwhen ? m->when[0] : NULL);
	for (size_t w = 0; w < m->nwhen; w++) {
		if (m->each && at && strcmp(m->when[w], at) == 0)
			continue;
		for (size_t i = 0; i < facts->len; i++)
			if (strcmp(facts->items[i].name, m->when[w]) == 0 &&
			    reported_path(ts, facts->items[i].path))
				return true;
	}
	return false;
}

/* Same rule, same identity (what the fingerprint is made of, minus the path,
 * which moves with the first evidence). */
static bool same_repo_finding(const pl_finding *a, const pl_finding *b)
{
	return a->rule == b->rule && strcmp(a->matched, b->matched) == 0;
}

typedef struct run {
	pl_ruleset *rules;
	const char *root;
	const pl_scan_options *opt;
	shared *sh;
	unsigned jobs;
	pl_file_list *files;
	target_set *ts;
	gathered *g;
	pl_scan_result *result;
} run;

/*
 * The repository as it was before the change: the context's contributions
 * plus each target's earlier content, scanned (through the cache) like any
 * file. Returns 0 with the repository-level findings of that state, or -1
 * when the earlier state is not known.
 */
static int base_findings(run *r, pl_findings *out)
{
	const pl_scan_base *base = r->opt->base;
	pl_file_list bfiles = PL_FILE_LIST_INIT;
	char **texts = pl_xcalloc(r->ts->len ? r->ts->len : 1, sizeof(char *));
	size_t *lens = pl_xcalloc(r->ts->len ? r->ts->len : 1, sizeof(size_t));
	char **gone_paths = pl_xcalloc(r->ts->len ? r->ts->len : 1, sizeof(char *));
	size_t ngone = 0;
	int rc = 0;
	for (size_t i = 0; i < r->ts->len && rc == 0; i++) {
		const target *t = &r->ts->items[i];
		if (!t->present && !t->deleted)
			continue;
		char *text = NULL;
		size_t len = 0;
		int got = base->read(base->ctx, t->path, &text, &len);
		if (got < 0) {
			rc = -1;
			break;
		}
		if (got == 0 || excluded(&r->opt->walk, t->path)) {
			free(text);
			continue;
		}
		const pl_language *lang = language_of(t->path, text, len);
		if (!lang) {
			gone_paths[ngone++] = t->path; /* a path for path facts, nothing to parse */
			free(text);
			continue;
		}
		texts[bfiles.len] = text;
		lens[bfiles.len] = len;
		char *fs = pl_path_join(r->root, t->path);
		file_list_add(&bfiles, t->path, fs, lang);
		free(fs);
	}
	file_slot *slots = NULL;
	scan_job *jobs = NULL;
	if (rc == 0) {
		slots = pl_xcalloc(bfiles.len ? bfiles.len : 1, sizeof(file_slot));
		jobs = pl_xcalloc(bfiles.len ? bfiles.len : 1, sizeof(scan_job));
		for (size_t i = 0; i < bfiles.len; i++)
			jobs[i] = (scan_job){ &bfiles.items[i], &slots[i], texts[i], lens[i], false };
		shared sh = { r->sh->rules, r->sh->ci, jobs, bfiles.len, NULL, 0, NULL,
			      r->sh->no_prefilter, r->sh->cache, r->sh->max_file_size, false, false,
			      NULL };
		pl_diags ignored = PL_DIAGS_INIT; /* reported by the main pass already */
		if (scan_jobs(&sh, r->rules, r->jobs, &ignored) < 0)
			rc = -1;
		pl_diags_release(&ignored);
	}
	if (rc == 0) {
		gathered before;
		gathered_init(&before);
		for (size_t i = 0; i < bfiles.len; i++) {
			gather(&before, 1, &slots[i].out);
			r->result->stats.cached += slots[i].cached;
			pl_file_output_release(&slots[i].out);
		}
		/* Every path then: the context's, and the targets' earlier ones. */
		size_t cap = r->files->len + r->files->others_len + bfiles.len + ngone + 1;
		const char **seen = pl_xcalloc(cap, sizeof(char *));
		size_t nseen = 0;
		for (size_t i = 0; i < r->files->len; i++)
			if (!reported_path(r->ts, r->files->items[i].path))
				seen[nseen++] = r->files->items[i].path;
		for (size_t i = 0; i < r->files->others_len; i++)
			seen[nseen++] = r->files->others[i];
		for (size_t i = 0; i < bfiles.len; i++)
			seen[nseen++] = bfiles.items[i].path;
		for (size_t i = 0; i < ngone; i++)
			seen[nseen++] = gone_paths[i];
		pl_facts facts = PL_FACTS_INIT;
		copy_facts(&facts, &r->g->facts[0]);
		pl_facts_take(&facts, &before.facts[1]);
		repo_phase(r->rules, r->root, seen, nseen, r->g->ci[0], before.ci[1], r->g->k8s[0],
			   before.k8s[1], &facts, out);
		pl_facts_release(&facts);
		free(seen);
		gathered_release(&before);
	}
	for (size_t i = 0; rc < 0 && slots && i < bfiles.len; i++)
		pl_file_output_release(&slots[i].out);
	free(slots);
	free(jobs);
	for (size_t i = 0; i < bfiles.len; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	free(gone_paths);
	pl_file_list_release(&bfiles);
	return rc;
}

/*
 * Keep the repository-level findings the change is part of (scan.h): those
 * whose evidence it holds, and those the repository before it did not have.
 */
static void attribute_repo_findings(run *r, pl_findings *repo)
{
	if (!repo->len)
		return;
	bool *keep = pl_xcalloc(repo->len, sizeof(bool));
	bool undecided = false;
	for (size_t k = 0; k < repo->len; k++) {
		keep[k] = evidence_in_targets(&repo->items[k], &r->result->facts, r->ts);
		undecided |= !keep[k];
	}
	pl_findings before = PL_FINDINGS_INIT;
	if (undecided && r->opt->base && base_findings(r, &before) == 0) {
		for (size_t k = 0; k < repo->len; k++) {
			if (keep[k])
				continue;
			bool existed = false;
			for (size_t b = 0; b < before.len && !existed; b++)
				existed = same_repo_finding(&repo->items[k], &before.items[b]);
			keep[k] = !existed;
		}
	}
	pl_findings_release(&before);
	size_t n = 0;
	for (size_t k = 0; k < repo->len; k++) {
		if (keep[k])
			repo->items[n++] = repo->items[k];
		else
			pl_finding_release(&repo->items[k]);
	}
	repo->len = n;
	free(keep);
}

/* --- suppressions and changed lines ------------------------------------------- */

/*
 * After the repository phase: a file's suppressions also cover the repo
 * rules' findings reported in that file (a workload's annotation, say);
 * then the meta findings about them, now that every finding was offered.
 * Files not reported on had no suppressions collected: those holding a
 * repository-level finding are read again for them (few), and say nothing
 * about their own suppressions.
 */
static void finish_suppressions(const pl_suppress_config *cfg, bool inline_suppressions,
				const pl_file_list *files, const scan_job *jobs, pl_findings *repo,
				pl_scan_result *result)
{
	TSParser *parser = NULL;
	for (size_t i = 0; i < files->len; i++) {
		file_slot *slot = jobs[i].slot;
		const pl_file *file = &files->items[i];
		if (!jobs[i].report) {
			bool here_any = false;
			for (size_t k = 0; k < repo->len && !here_any; k++)
				here_any = strcmp(repo->items[k].path, file->path) == 0;
			char *text;
			size_t len;
			if (!inline_suppressions || !here_any || !slot->scanned ||
			    pl_read_file(file->fs_path, (size_t)1 << 30, &text, &len) != PL_READ_OK)
				continue;
			if (!parser)
				parser = ts_parser_new();
			pl_scan_collect_suppressions(parser, file, text, len, &slot->sups);
			free(text);
		}
		if (!slot->sups.len)
			continue;
		pl_findings here = PL_FINDINGS_INIT;
		size_t kept = 0;
		for (size_t k = 0; k < repo->len; k++) {
			if (strcmp(repo->items[k].path, file->path) == 0)
				pl_findings_push(&here, &repo->items[k]);
			else
				repo->items[kept++] = repo->items[k];
		}
		repo->len = kept;
		if (here.len)
			result->stats.suppressed += pl_suppress_apply(cfg, &slot->sups, &here);
		pl_findings_take(repo, &here);
		if (jobs[i].report)
			pl_suppress_report(cfg, &slot->sups, file->path, slot->complete,
					   &result->findings);
		pl_suppressions_release(&slot->sups);
	}
	if (parser)
		ts_parser_delete(parser);
}

typedef struct line_filter {
	const target_set *ts;
} line_filter;

static bool touches_changed_lines(const pl_finding *f, void *ctx)
{
	const line_filter *lf = ctx;
	if (f->rule->repo)
		return true; /* attributed as a whole (attribute_repo_findings) */
	const target *t = target_find(lf->ts, f->path);
	return !t || !t->lines || pl_line_ranges_touch(t->lines, f->line, f->end_line);
}

/* --- the whole scan ------------------------------------------------------------ */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool any_repo_rule(const pl_ruleset *rules)
{
	for (size_t r = 0; r < rules->len; r++)
		if (rules->rules[r]->repo)
			return true;
	return false;
}

unsigned pl_scan_threads(const pl_scan_options *opt)
{
	if (opt->jobs)
		return opt->jobs;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

int pl_scan(pl_ruleset *rules, const char *root, const char *const *paths, size_t npaths,
	    const pl_scan_options *opt, pl_scan_result *result)
{
	double start = now_ms();
	bool targeted = opt->targeted || npaths > 0;
	pl_file_list files = PL_FILE_LIST_INIT;
	target_set ts = { NULL, 0, 0 };
	/* A targeted scan reports nothing about the rest of the repository: a
	 * directory it cannot read there only means fewer facts. */
	pl_diags walk_errors = PL_DIAGS_INIT;
	pl_diags *walk_diags = targeted ? &walk_errors : &result->errors;
	/* What the paths name first: when that is nothing (a hook given only
	 * files prodlint does not read) and nothing changed, there is nothing to
	 * report and the repository need not be read at all. */
	pl_file_list named = PL_FILE_LIST_INIT;
	if (npaths && pl_walk(root, paths, npaths, &opt->walk, &named, &result->errors) < 0) {
		pl_file_list_release(&named);
		return -1;
	}
	if (!targeted || named.len || opt->ntargets) {
		int walked;
		if (opt->walked && !targeted) {
			files = opt->walked->files;
			opt->walked->files = (pl_file_list)PL_FILE_LIST_INIT;
			copy_diags(walk_diags, &opt->walked->diags);
			walked = opt->walked->rc;
		} else {
			walked = pl_walk(root, NULL, 0, &opt->walk, &files, walk_diags);
		}
		if (walked < 0) {
			copy_diags(&result->errors, &walk_errors);
			pl_diags_release(&walk_errors);
			pl_file_list_release(&named);
			pl_file_list_release(&files);
			return -1;
		}
	}
	pl_diags_release(&walk_errors);
	result->stats.ignored = (npaths ? named.ignored : files.ignored);
	result->stats.too_large = (npaths ? named.too_large : files.too_large);
	result->stats.minified = (npaths ? named.minified : files.minified);
	result->stats.unsupported = (npaths ? named.unsupported : files.unsupported);
	result->stats.special = (npaths ? named.special : files.special);
	if (targeted)
		resolve_targets(root, &named, opt, &files, &ts);
	pl_file_list_release(&named);

	unsigned jobs = pl_scan_threads(opt);
	pl_ci_classifier *classifier = pl_ci_classifier_new();
	file_slot *slots = pl_xcalloc(files.len ? files.len : 1, sizeof(file_slot));
	scan_job *jl = pl_xcalloc(files.len ? files.len : 1, sizeof(scan_job));
	for (size_t i = 0; i < files.len; i++) {
		const target *t = targeted ? target_find(&ts, files.items[i].path) : NULL;
		jl[i] = (scan_job){ &files.items[i], &slots[i], t ? t->text : NULL, t ? t->len : 0,
				    !targeted || (t && t->present) };
	}
	shared sh = { rules, classifier, jl, files.len, NULL, 0, NULL, opt->no_prefilter, opt->cache,
		      opt->walk.max_file_size, false, false, pl_fact_settling_new(rules) };
	/* Today is read once, so every file of a run judges expiry alike. */
	pl_suppress_config suppress;
	int today = opt->today;
	if (!today)
		pl_suppress_today(&today); /* an invalid PRODLINT_TODAY falls back to the local date */
	pl_suppress_config_init(&suppress, rules, today);
	suppress.repo_findings = true; /* finish_suppressions offers them */
	if (!opt->no_inline_suppressions)
		sh.suppress = &suppress;
	if (scan_jobs(&sh, rules, jobs, &result->errors) < 0) {
		for (size_t i = 0; i < files.len; i++) {
			pl_file_output_release(&slots[i].out);
			pl_suppressions_release(&slots[i].sups);
		}
		pl_ci_classifier_delete(classifier);
		pl_fact_settling_delete(sh.settling);
		free(slots);
		free(jl);
		target_set_release(&ts);
		pl_file_list_release(&files);
		return -1;
	}

	/* Merge in file order. Files not reported on give facts and models only. */
	gathered g;
	gathered_init(&g);
	for (size_t i = 0; i < files.len; i++) {
		file_slot *slot = &slots[i];
		pl_file_output *o = &slot->out;
		result->stats.cached += slot->cached;
		result->stats.parsed += o->parsed;
		result->stats.bytes += slot->bytes;
		if (jl[i].report) {
			pl_findings_take(&result->findings, &o->findings);
			copy_diags(&result->errors, &o->errors);
			copy_diags(&result->skipped, &o->skipped);
			result->stats.files += slot->scanned;
			result->stats.binary += slot->binary;
			result->stats.no_rules += slot->no_rules;
			result->stats.too_large += slot->too_large;
			result->stats.suppressed += slot->suppressed;
		} else {
			result->stats.context += slot->scanned;
		}
		gather(&g, jl[i].report ? 1 : 0, o);
		pl_file_output_release(o);
	}
	/* The context's facts are needed again for the repository before the
	 * change (base_findings); only then are they copied rather than moved. */
	bool may_compare = targeted && opt->base && any_repo_rule(rules);
	if (may_compare)
		copy_facts(&result->facts, &g.facts[0]);
	else
		pl_facts_take(&result->facts, &g.facts[0]);
	pl_facts_take(&result->facts, &g.facts[1]);

	/* Every path the walk saw, for path-based facts. */
	size_t nseen = files.len + files.others_len;
	const char **seen = pl_xcalloc(nseen ? nseen : 1, sizeof(char *));
	for (size_t i = 0; i < files.len; i++)
		seen[i] = files.items[i].path;
	for (size_t i = 0; i < files.others_len; i++)
		seen[files.len + i] = files.others[i];
	pl_findings repo = PL_FINDINGS_INIT;
	repo_phase(rules, root, seen, nseen, g.ci[0], g.ci[1], g.k8s[0], g.k8s[1], &result->facts,
		   &repo);
	free(seen);
	if (targeted) {
		run r = { rules, root, opt, &sh, jobs, &files, &ts, &g, result };
		attribute_repo_findings(&r, &repo);
	}
	finish_suppressions(&suppress, sh.suppress != NULL, &files, jl, &repo, result);
	pl_findings_take(&result->findings, &repo);
	/* Fingerprints count occurrences in the whole file: finish, then filter. */
	pl_findings_finish(&result->findings);
	if (targeted) {
		line_filter lf = { &ts };
		bool lines = false;
		for (size_t i = 0; i < ts.len && !lines; i++)
			lines = ts.items[i].present && ts.items[i].lines;
		if (lines)
			pl_findings_filter(&result->findings, touches_changed_lines, &lf);
		result->targeted = true;
		result->line_filtered = lines;
		result->targets = pl_xcalloc(ts.len ? ts.len : 1, sizeof(char *));
		for (size_t i = 0; i < ts.len; i++)
			if (ts.items[i].present)
				result->targets[result->ntargets++] = pl_xstrdup(ts.items[i].path);
	}
	gathered_release(&g);
	pl_ci_classifier_delete(classifier);
	pl_fact_settling_delete(sh.settling);
	free(slots);
	free(jl);
	target_set_release(&ts);
	pl_file_list_release(&files);
	result->stats.ms = now_ms() - start;
	return 0;
}

void pl_scan_result_release(pl_scan_result *result)
{
	pl_findings_release(&result->findings);
	pl_facts_release(&result->facts);
	pl_diags_release(&result->errors);
	pl_diags_release(&result->skipped);
	for (size_t i = 0; i < result->ntargets; i++)
		free(result->targets[i]);
	free(result->targets);
	result->targets = NULL;
	result->ntargets = 0;
}
