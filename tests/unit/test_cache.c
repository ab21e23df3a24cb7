/*
 * Unit tests for src/cache (per-file results on disk): a stored output
 * comes back equal (findings, facts, errors, skip notes, CI and Kubernetes
 * models); a rule file's change, another selection or other content is a
 * miss; broken or misplaced entries are ignored; concurrent writers (real
 * processes) leave only whole entries; the cache refuses to live inside the
 * scanned repository; pruning keeps its bounds.
 *
 * Everything lives in a scratch directory: the rules (written there, so the
 * generation hashes their bytes), the files, and the cache itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"
#include "facts/ci.h"
#include "facts/k8s.h"
#include "scan/scan.h"
#include "support.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char rules_yaml[] =
	"rules:\n"
	"  - id: budget/ask\n"
	"    title: ask call\n"
	"    message: '`{{f}}` called'\n"
	"    severity: warning\n"
	"    category: budget\n"
	"    checklist: [RD3]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"ask\")) @call\n"
	"  - id: rollback/latest\n"
	"    title: latest tag\n"
	"    severity: error\n"
	"    category: rollback\n"
	"    checklist: [PB1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    config:\n"
	"      - kinds: [kubernetes]\n"
	"        select: ['$pod.containers[*]']\n"
	"        forbid:\n"
	"          - path: image\n"
	"            matches: ':latest$'\n"
	"  - id: eval-gate/no-gate\n"
	"    title: no eval gate\n"
	"    severity: error\n"
	"    category: eval-gate\n"
	"    checklist: [QG1]\n"
	"    rationale: r\n"
	"    remediation: r\n"
	"    repo:\n"
	"      when: [calls-llm, ci-deploy-ungated]\n"
	"facts:\n"
	"  - fact: calls-llm\n"
	"    description: calls a model\n"
	"    match:\n"
	"      - languages: [python]\n"
	"        query: |\n          (call function: (identifier) @f (#eq? @f \"ask\")) @call\n";

static const char py_text[] =
	"import os\n"
	"x = ask(1)\n"
	"y = ask(\n"
	"    2)\n";

static const char workflow_text[] =
	"name: deploy\n"
	"on: push\n"
	"jobs:\n"
	"  evals:\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - run: npx promptfoo eval\n"
	"  deploy:\n"
	"    needs: [evals]\n"
	"    runs-on: ubuntu-latest\n"
	"    steps:\n"
	"      - run: kubectl apply -f k8s/\n";

static const char k8s_text[] =
	"apiVersion: apps/v1\n"
	"kind: Deployment\n"
	"metadata: { name: api, namespace: prod }\n"
	"spec:\n"
	"  replicas: 3\n"
	"  template:\n"
	"    metadata: { labels: { app: api, tier: web } }\n"
	"    spec:\n"
	"      containers:\n"
	"        - name: api\n"
	"          image: api:latest\n"
	"---\n"
	"apiVersion: policy/v1\n"
	"kind: PodDisruptionBudget\n"
	"metadata: { name: other, namespace: prod }\n"
	"spec:\n"
	"  selector:\n"
	"    matchLabels: { app: other }\n"
	"    matchExpressions:\n"
	"      - { key: tier, operator: In, values: [web, db] }\n";

static const char template_text[] = "kind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n";

typedef struct fixture {
	char *dir;               /* scratch root */
	char *repo;              /* dir/repo: the "scanned" files */
	char *cache_dir;         /* dir/cache */
	char *rules_path;        /* dir/rules.yaml */
	pl_ruleset rules;
	TSParser *parser;
	pl_ci_classifier *cls;
} fixture;

static void load_rules(const char *path, pl_ruleset *rs)
{
	pl_diags d = PL_DIAGS_INIT;
	int n = pl_ruleset_load_path(rs, path, &d);
	if (n < 0 || pl_ruleset_finish(rs, &d) < 0) {
		pl_diags_print(&d, stderr, "error");
		fail_msg("rules do not load");
	}
	pl_diags_release(&d);
	assert_int_equal(pl_ruleset_prepare(rs, ~0u, 0, &d), 0);
	pl_diags_release(&d);
}

static int setup(void **state)
{
	fixture *fx = pl_xcalloc(1, sizeof(*fx));
	fx->dir = test_tmpdir("cache");
	fx->repo = test_join(fx->dir, "repo");
	fx->cache_dir = test_join(fx->dir, "cache");
	fx->rules_path = test_join(fx->dir, "rules.yaml");
	test_write_text(fx->dir, "rules.yaml", rules_yaml);
	test_write_text(fx->repo, "app/llm.py", py_text);
	test_write_text(fx->repo, ".github/workflows/deploy.yml", workflow_text);
	test_write_text(fx->repo, "k8s/deploy.yaml", k8s_text);
	test_write_text(fx->repo, "k8s/tmpl.yaml", template_text);
	load_rules(fx->rules_path, &fx->rules);
	fx->parser = ts_parser_new();
	fx->cls = pl_ci_classifier_new();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;
	ts_parser_delete(fx->parser);
	pl_ci_classifier_delete(fx->cls);
	pl_ruleset_release(&fx->rules);
	test_rm_rf(fx->dir);
	free(fx->dir);
	free(fx->repo);
	free(fx->cache_dir);
	free(fx->rules_path);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

typedef struct one_file {
	pl_file file;
	char *text;
	size_t len;
} one_file;

static one_file open_file(const fixture *fx, const char *rel)
{
	one_file f;
	f.file.path = pl_xstrdup(rel);
	f.file.fs_path = test_join(fx->repo, rel);
	char *data;
	size_t len;
	assert_int_equal(pl_read_file(f.file.fs_path, 1 << 20, &data, &len), PL_READ_OK);
	f.text = data;
	f.len = len;
	f.file.lang = pl_language_for_path(rel, data, len);
	assert_non_null(f.file.lang);
	return f;
}

static void close_file(one_file *f)
{
	free(f->file.path);
	free(f->file.fs_path);
	free(f->text);
}

static void scan_one(const fixture *fx, const pl_ruleset *rules, const one_file *f,
		     pl_file_output *out)
{
	pl_file_output_init(out);
	pl_scan_context ctx = { .rules = rules, .parser = fx->parser, .ci = fx->cls };
	pl_scan_file_text(&ctx, &f->file, f->text, f->len, out);
}

/* Everything an output holds, as text, for comparisons. */
static char *describe(const pl_file_output *o)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < o->findings.len; i++) {
		const pl_finding *f = &o->findings.items[i];
		pl_strbuf_addf(&sb, "finding %s %s %u:%u-%u:%u [%s] [%s] [%s]\n", f->rule->id, f->path,
			       f->line, f->column, f->end_line, f->end_column, f->message, f->snippet,
			       f->matched);
	}
	for (size_t i = 0; i < o->facts.len; i++) {
		const pl_fact *f = &o->facts.items[i];
		pl_strbuf_addf(&sb, "fact %s %s %u:%u [%s]\n", f->name, f->path, f->line, f->column,
			       f->detail);
	}
	for (size_t i = 0; i < o->errors.len; i++)
		pl_strbuf_addf(&sb, "error %s %u:%u %s\n", o->errors.items[i].path,
			       o->errors.items[i].line, o->errors.items[i].col,
			       o->errors.items[i].message);
	for (size_t i = 0; i < o->skipped.len; i++)
		pl_strbuf_addf(&sb, "skipped %s %u:%u %s\n", o->skipped.items[i].path,
			       o->skipped.items[i].line, o->skipped.items[i].col,
			       o->skipped.items[i].message);
	json_t *ci = pl_ci_to_json(o->ci), *k8s = pl_k8s_to_json(o->k8s);
	char *a = json_dumps(ci, JSON_SORT_KEYS | JSON_COMPACT);
	char *b = json_dumps(k8s, JSON_SORT_KEYS | JSON_COMPACT);
	pl_strbuf_addf(&sb, "ci %s\nk8s %s\n", a, b);
	/* The analyses too: what the repository phase will see. */
	pl_facts facts = PL_FACTS_INIT;
	pl_ci_analyse(o->ci, &facts);
	pl_k8s_analyse(o->k8s, &facts);
	pl_facts_finish(&facts);
	for (size_t i = 0; i < facts.len; i++)
		pl_strbuf_addf(&sb, "analysed %s %u:%u [%s]\n", facts.items[i].name,
			       facts.items[i].line, facts.items[i].column, facts.items[i].detail);
	pl_facts_release(&facts);
	free(a);
	free(b);
	json_decref(ci);
	json_decref(k8s);
	return pl_strbuf_detach(&sb);
}

static pl_cache *open_cache(const fixture *fx, const pl_ruleset *rules)
{
	const char *why = NULL;
	pl_cache *c = pl_cache_open(fx->cache_dir, rules, fx->repo, &why);
	if (!c)
		fail_msg("cache refused: %s", why);
	return c;
}

/* The entry files of the cache, for tests that tamper with them. */
static size_t entry_files(const char *dir, char **out, size_t max)
{
	size_t n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		/* Everything but the generation's mark: a leftover .tmp-* file counts. */
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".used") == 0)
			continue;
		char *p = test_join(dir, de->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			n += entry_files(p, out + n, max - n);
			free(p);
		} else if (n < max) {
			out[n++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
	return n;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
	fixture *fx = *state;
	static const char *const files[] = { "app/llm.py", ".github/workflows/deploy.yml",
					     "k8s/deploy.yaml", "k8s/tmpl.yaml" };
	pl_cache *c = open_cache(fx, &fx->rules);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		one_file f = open_file(fx, files[i]);
		pl_file_output scanned, loaded;
		scan_one(fx, &fx->rules, &f, &scanned);
		pl_file_output_init(&loaded);
		assert_false(pl_cache_load(c, &f.file, f.text, f.len, &loaded));
		pl_cache_store(c, &f.file, f.text, f.len, &scanned);
		assert_true(pl_cache_load(c, &f.file, f.text, f.len, &loaded));
		char *a = describe(&scanned), *b = describe(&loaded);
		assert_string_equal(a, b);
		free(a);
		free(b);
		pl_file_output_release(&scanned);
		pl_file_output_release(&loaded);
		close_file(&f);
	}
	/* The outputs were not empty: the comparison compared something. */
	one_file f = open_file(fx, "app/llm.py");
	pl_file_output o;
	pl_file_output_init(&o);
	assert_true(pl_cache_load(c, &f.file, f.text, f.len, &o));
	assert_int_equal(o.findings.len, 2);
	assert_int_equal(o.facts.len, 2);
	assert_string_equal(o.findings.items[0].rule->id, "budget/ask");
	assert_ptr_equal(o.findings.items[0].rule, pl_ruleset_find(&fx->rules, "budget/ask"));
	pl_file_output_release(&o);
	close_file(&f);
	pl_cache_stats st;
	pl_cache_get_stats(c, &st);
	assert_int_equal(st.writes, 4);
	assert_int_equal(st.write_errors, 0);
	assert_int_equal(st.corrupt, 0);
	pl_cache_close(c);
}

/* Other bytes, another path: a miss; the same again: a hit, across opens. */
static void test_key(void **state)
{
	fixture *fx = *state;
	pl_cache *c = open_cache(fx, &fx->rules);
	one_file f = open_file(fx, "app/llm.py");
	pl_file_output o;
	scan_one(fx, &fx->rules, &f, &o);
	pl_cache_store(c, &f.file, f.text, f.len, &o);
	pl_file_output_release(&o);
	pl_cache_close(c);

	c = open_cache(fx, &fx->rules);
	pl_file_output_init(&o);
	assert_true(pl_cache_load(c, &f.file, f.text, f.len, &o));
	pl_file_output_release(&o);
	pl_file_output_init(&o);
	assert_false(pl_cache_load(c, &f.file, f.text, f.len - 1, &o));
	assert_int_equal(o.findings.len, 0);
	char *path = f.file.path;
	f.file.path = (char *)"app/other.py";
	assert_false(pl_cache_load(c, &f.file, f.text, f.len, &o));
	f.file.path = path;
	pl_file_output_release(&o);
	close_file(&f);
	pl_cache_close(c);
}

/* A rule file that changes, or another selection of rules, is a new generation. */
static void test_invalidated_by_rules(void **state)
{
	fixture *fx = *state;
	pl_cache *c = open_cache(fx, &fx->rules);
	one_file f = open_file(fx, "app/llm.py");
	pl_file_output o;
	scan_one(fx, &fx->rules, &f, &o);
	pl_cache_store(c, &f.file, f.text, f.len, &o);
	pl_file_output_release(&o);
	char *gen_before = pl_xstrdup(pl_cache_generation_dir(c));
	pl_cache_close(c);

	/* The same bytes loaded again: same generation, a hit. */
	pl_ruleset same = PL_RULESET_INIT;
	load_rules(fx->rules_path, &same);
	c = open_cache(fx, &same);
	assert_string_equal(gen_before, pl_cache_generation_dir(c));
	pl_file_output_init(&o);
	assert_true(pl_cache_load(c, &f.file, f.text, f.len, &o));
	pl_file_output_release(&o);
	pl_cache_close(c);

	pl_ruleset_release(&same);

	/* An edited message: a new generation, a miss. */
	char *edited = pl_xstrdup(rules_yaml);
	char *at = strstr(edited, "called'");
	memcpy(at, "CALLED'", 7);
	test_write_text(fx->dir, "rules.yaml", edited);
	free(edited);
	pl_ruleset changed = PL_RULESET_INIT;
	load_rules(fx->rules_path, &changed);
	c = open_cache(fx, &changed);
	assert_string_not_equal(gen_before, pl_cache_generation_dir(c));
	pl_file_output_init(&o);
	assert_false(pl_cache_load(c, &f.file, f.text, f.len, &o));
	pl_file_output_release(&o);
	pl_cache_close(c);
	pl_ruleset_release(&changed);
	test_write_text(fx->dir, "rules.yaml", rules_yaml);
	free(gen_before);
	close_file(&f);
}

static bool not_ask(const pl_rule *rule, void *ctx)
{
	(void)ctx;
	return strcmp(rule->id, "budget/ask") != 0;
}

static void test_invalidated_by_selection(void **state)
{
	fixture *fx = *state;
	pl_cache *c = open_cache(fx, &fx->rules);
	char *gen_all = pl_xstrdup(pl_cache_generation_dir(c));
	pl_cache_close(c);
	pl_ruleset some = PL_RULESET_INIT;
	load_rules(fx->rules_path, &some);
	pl_ruleset_filter(&some, not_ask, NULL);
	c = open_cache(fx, &some);
	assert_string_not_equal(gen_all, pl_cache_generation_dir(c));
	pl_cache_close(c);
	pl_ruleset_release(&some);
	free(gen_all);
}

/* Garbage, a truncated entry, or one copied under another key: misses, and
 * the output handed in stays empty; a fresh store repairs it. */
static void test_corrupt_entries_ignored(void **state)
{
	fixture *fx = *state;
	char *cache_root = test_join(fx->dir, "cache");
	test_rm_rf(cache_root);
	pl_cache *c = open_cache(fx, &fx->rules);
	one_file f = open_file(fx, "app/llm.py"), g = open_file(fx, "k8s/deploy.yaml");
	pl_file_output o;
	scan_one(fx, &fx->rules, &f, &o);
	pl_cache_store(c, &f.file, f.text, f.len, &o);
	pl_file_output_release(&o);
	char *entries[8];
	size_t n = entry_files(pl_cache_generation_dir(c), entries, 8);
	assert_int_equal(n, 1);
	char *good;
	size_t good_len;
	assert_int_equal(pl_read_file(entries[0], 1 << 20, &good, &good_len), PL_READ_OK);

	static const char *const bad[] = { "", "not json", "{\"format\": 1}", "[1,2,3]", NULL };
	for (const char *const *b = bad; *b; b++) {
		FILE *fp = fopen(entries[0], "w");
		fputs(*b, fp);
		fclose(fp);
		pl_file_output_init(&o);
		assert_false(pl_cache_load(c, &f.file, f.text, f.len, &o));
		assert_int_equal(o.findings.len + o.facts.len, 0);
		pl_file_output_release(&o);
	}
	/* Truncated in the middle of the findings. */
	FILE *fp = fopen(entries[0], "w");
	fwrite(good, 1, good_len / 2, fp);
	fclose(fp);
	pl_file_output_init(&o);
	assert_false(pl_cache_load(c, &f.file, f.text, f.len, &o));
	pl_file_output_release(&o);
	/* A finding of a rule that does not exist. */
	char *unknown = pl_xstrdup(good);
	char *id = strstr(unknown, "budget/ask");
	assert_non_null(id);
	memcpy(id, "budget/xyz", 10);
	fp = fopen(entries[0], "w");
	fputs(unknown, fp);
	fclose(fp);
	free(unknown);
	pl_file_output_init(&o);
	assert_false(pl_cache_load(c, &f.file, f.text, f.len, &o));
	assert_int_equal(o.findings.len + o.facts.len, 0);
	pl_file_output_release(&o);

	pl_cache_stats st;
	pl_cache_get_stats(c, &st);
	assert_int_equal(st.corrupt, 6);
	assert_int_equal(st.hits, 0);

	/* The good entry under another file's key: its key does not match. */
	scan_one(fx, &fx->rules, &g, &o);
	pl_cache_store(c, &g.file, g.text, g.len, &o);
	pl_file_output_release(&o);
	char *all[8];
	size_t m = entry_files(pl_cache_generation_dir(c), all, 8);
	assert_int_equal(m, 2);
	const char *other = strcmp(all[0], entries[0]) == 0 ? all[1] : all[0];
	fp = fopen(other, "w");
	fwrite(good, 1, good_len, fp);
	fclose(fp);
	pl_file_output_init(&o);
	assert_false(pl_cache_load(c, &g.file, g.text, g.len, &o));
	pl_file_output_release(&o);

	/* Stored again: whole again. */
	scan_one(fx, &fx->rules, &f, &o);
	pl_cache_store(c, &f.file, f.text, f.len, &o);
	pl_file_output_release(&o);
	pl_file_output_init(&o);
	assert_true(pl_cache_load(c, &f.file, f.text, f.len, &o));
	assert_int_equal(o.findings.len, 2);
	pl_file_output_release(&o);

	for (size_t i = 0; i < m; i++)
		free(all[i]);
	free(entries[0]);
	free(good);
	close_file(&f);
	close_file(&g);
	pl_cache_close(c);
	free(cache_root);
}

/*
 * Several processes store and load the same entries at once: every load
 * that hits returns the whole output, and afterwards every entry is whole
 * and no temporary file is left behind.
 */
static void test_concurrent_writers(void **state)
{
	fixture *fx = *state;
	char *cache_root = test_join(fx->dir, "cache");
	test_rm_rf(cache_root);
	static const char *const files[] = { "app/llm.py", ".github/workflows/deploy.yml",
					     "k8s/deploy.yaml" };
	enum { NFILES = 3, NPROC = 6, ROUNDS = 40 };
	one_file f[NFILES];
	char *expected[NFILES];
	for (int i = 0; i < NFILES; i++) {
		f[i] = open_file(fx, files[i]);
		pl_file_output o;
		scan_one(fx, &fx->rules, &f[i], &o);
		expected[i] = describe(&o);
		pl_file_output_release(&o);
	}
	pid_t pids[NPROC];
	for (int p = 0; p < NPROC; p++) {
		pids[p] = fork();
		assert_true(pids[p] >= 0);
		if (pids[p] > 0)
			continue;
		/* Child: no cmocka here, only an exit status. */
		int bad = 0;
		const char *why;
		pl_cache *c = pl_cache_open(fx->cache_dir, &fx->rules, fx->repo, &why);
		TSParser *parser = ts_parser_new();
		for (int r = 0; r < ROUNDS && c; r++) {
			int i = (r + p) % NFILES;
			pl_file_output o;
			pl_file_output_init(&o);
			if (pl_cache_load(c, &f[i].file, f[i].text, f[i].len, &o)) {
				char *got = describe(&o);
				bad += strcmp(got, expected[i]) != 0;
				free(got);
			} else {
				pl_file_output_release(&o);
				pl_file_output_init(&o);
				pl_scan_context ctx = { .rules = &fx->rules, .parser = parser, .ci = fx->cls };
				pl_scan_file_text(&ctx, &f[i].file, f[i].text, f[i].len, &o);
				pl_cache_store(c, &f[i].file, f[i].text, f[i].len, &o);
			}
			pl_file_output_release(&o);
		}
		pl_cache_stats st;
		if (c) {
			pl_cache_get_stats(c, &st);
			bad += (int)st.corrupt + (int)st.write_errors;
		}
		ts_parser_delete(parser);
		_exit(c ? (bad > 100 ? 100 : bad) : 101);
	}
	for (int p = 0; p < NPROC; p++) {
		int status;
		assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	pl_cache *c = open_cache(fx, &fx->rules);
	for (int i = 0; i < NFILES; i++) {
		pl_file_output o;
		pl_file_output_init(&o);
		assert_true(pl_cache_load(c, &f[i].file, f[i].text, f[i].len, &o));
		char *got = describe(&o);
		assert_string_equal(got, expected[i]);
		free(got);
		pl_file_output_release(&o);
	}
	char *left[16];
	size_t n = entry_files(pl_cache_generation_dir(c), left, 16);
	assert_int_equal(n, NFILES); /* and no temporary file left behind */
	for (size_t i = 0; i < n; i++)
		free(left[i]);
	pl_cache_close(c);
	for (int i = 0; i < NFILES; i++) {
		close_file(&f[i]);
		free(expected[i]);
	}
	free(cache_root);
}

static void test_never_inside_the_repository(void **state)
{
	fixture *fx = *state;
	const char *why = NULL;
	char *inside = test_join(fx->repo, ".cache/prodlint");
	assert_null(pl_cache_open(inside, &fx->rules, fx->repo, &why));
	assert_non_null(why);
	/* The scan root is a subdirectory of a work tree holding the cache. */
	test_mkdirs(fx->repo, ".git");
	char *sub = test_join(fx->repo, "app");
	why = NULL;
	assert_null(pl_cache_open(inside, &fx->rules, sub, &why));
	assert_non_null(why);
	char *git = test_join(fx->repo, ".git");
	test_rm_rf(git);
	/* Beside the repository is fine. */
	pl_cache *c = pl_cache_open(fx->cache_dir, &fx->rules, sub, &why);
	assert_non_null(c);
	pl_cache_close(c);
	assert_null(pl_cache_open("relative/dir", &fx->rules, sub, &why));
	free(git);
	free(sub);
	free(inside);
}

static void test_default_dir(void **state)
{
	(void)state;
	char *old_xdg = getenv("XDG_CACHE_HOME") ? pl_xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
	char *old_home = getenv("HOME") ? pl_xstrdup(getenv("HOME")) : NULL;
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	setenv("HOME", "/h", 1);
	char *d = pl_cache_default_dir();
	assert_string_equal(d, "/x/cache/prodlint");
	free(d);
	setenv("XDG_CACHE_HOME", "relative", 1); /* the XDG spec: ignore relative paths */
	d = pl_cache_default_dir();
	assert_string_equal(d, "/h/.cache/prodlint");
	free(d);
	unsetenv("XDG_CACHE_HOME");
	unsetenv("HOME");
	assert_null(pl_cache_default_dir());
	if (old_xdg)
		setenv("XDG_CACHE_HOME", old_xdg, 1);
	if (old_home)
		setenv("HOME", old_home, 1);
	free(old_xdg);
	free(old_home);
}

static void set_mtime(const char *path, time_t t)
{
	struct timespec ts[2] = { { t, 0 }, { t, 0 } };
	assert_int_equal(utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW), 0);
}

/* A generation directory with `n` entries of `size` bytes, used at `used`. */
static void make_generation(const char *vdir, const char *name, time_t used, int n, size_t size,
			    time_t entry_time)
{
	char *g = test_join(vdir, name);
	char *buf = pl_xcalloc(size + 1, 1);
	memset(buf, 'x', size);
	for (int i = 0; i < n; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "%02x/%030d", i, i);
		test_write_text(g, rel, buf);
		char *p = test_join(g, rel);
		set_mtime(p, entry_time + i);
		free(p);
	}
	test_write_text(g, ".used", "");
	char *u = test_join(g, ".used");
	set_mtime(u, used);
	free(u);
	free(buf);
	free(g);
}

static bool exists(const char *base, const char *rel)
{
	char *p = test_join(base, rel);
	struct stat st;
	bool e = lstat(p, &st) == 0;
	free(p);
	return e;
}

static void test_prune(void **state)
{
	fixture *fx = *state;
	char *root = test_join(fx->dir, "prune");
	char version[16], version_rel[32];
	snprintf(version, sizeof(version), "v%d", PL_CACHE_FORMAT); /* this format's directory */
	snprintf(version_rel, sizeof(version_rel), "prune/%s", version);
	char *vdir = test_join(root, version);
	time_t now = 1700000000;
	time_t day = 24 * 3600;
	test_mkdirs(fx->dir, version_rel);
	make_generation(vdir, "0000000000000001", now - 40 * day, 2, 10, now - 40 * day); /* too old */
	make_generation(vdir, "0000000000000002", now - 1 * day, 2, 10, now - day);
	make_generation(vdir, "0000000000000003", now - 2 * day, 2, 10, now - 2 * day);
	make_generation(vdir, "0000000000000004", now - 3 * day, 2, 10, now - 3 * day); /* 4th newest */
	make_generation(vdir, "0000000000000005", now - 50 * day, 2, 10, now - 50 * day); /* kept: ours */
	test_write_text(root, "v0/aa/old", "old format");
	test_write_text(vdir, "0000000000000002/00/.tmp-abc123", "torn");
	char *tmp = test_join(vdir, "0000000000000002/00/.tmp-abc123");
	set_mtime(tmp, now - 2 * 3600);
	free(tmp);

	pl_cache_limits lim = { (uint64_t)1 << 30, 3, 30 * day };
	size_t removed = pl_cache_prune(root, now, &lim, "0000000000000005");
	assert_true(removed > 0);
	assert_false(exists(root, "v0"));
	assert_false(exists(vdir, "0000000000000001"));
	assert_true(exists(vdir, "0000000000000002"));
	assert_true(exists(vdir, "0000000000000003"));
	assert_false(exists(vdir, "0000000000000004")); /* over max_generations (3, ours counts) */
	assert_true(exists(vdir, "0000000000000005"));
	assert_false(exists(vdir, "0000000000000002/00/.tmp-abc123"));

	/* Over the size bound: the least recently used entries go first, down to 3/4. */
	test_rm_rf(root);
	test_mkdirs(fx->dir, version_rel);
	make_generation(vdir, "00000000000000aa", now, 8, 1000, now - 100);
	lim.max_bytes = 4000;
	pl_cache_prune(root, now, &lim, NULL);
	int left = 0;
	for (int i = 0; i < 8; i++) {
		char rel[64];
		snprintf(rel, sizeof(rel), "00000000000000aa/%02x/%030d", i, i);
		bool e = exists(vdir, rel);
		left += e;
		if (i >= 5)
			assert_true(e); /* the newest survive */
	}
	assert_int_equal(left, 3);
	test_rm_rf(root);
	free(vdir);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_invalidated_by_rules),
		cmocka_unit_test(test_invalidated_by_selection),
		cmocka_unit_test(test_corrupt_entries_ignored),
		cmocka_unit_test(test_concurrent_writers),
		cmocka_unit_test(test_never_inside_the_repository),
		cmocka_unit_test(test_default_dir),
		cmocka_unit_test(test_prune),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
