/*
 * Unit tests for running out of memory (util/xalloc.h, util/mem.h).
 *
 * Each case forks: the child routes the libraries through xalloc as main()
 * does (pl_mem_init), prepares its input, sets a ceiling a little above
 * what it uses by then, and runs one workload; the parent reads the child's
 * stderr through a pipe and asserts exit 3 with the message. Every
 * workload also runs once without a ceiling, where it must finish (exit 0,
 * nothing on stderr): the ceiling, not something else, is what stops it.
 *
 * The workloads allocate through one path each: our own xalloc (one large
 * block, many small ones, several threads at once), a tree-sitter parse, a
 * jansson dump, libyaml, libcyaml, a whole rule load, PCRE2 compilations
 * and a libgit2 call. Only allocations routed through xalloc ever measure the
 * heap, so a library left on its own allocator would finish under the
 * ceiling and fail its case. Two more make malloc itself fail (an
 * address-space limit): under tree-sitter, whose own allocator would abort,
 * and under realpath and opendir, which only set errno (pl_xrealpath,
 * pl_xopendir).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lang/lang.h"
#include "rule/rule.h"
#include "rule/yaml_doc.h"
#include "util/mem.h"
#include "util/regex.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

#define MiB ((size_t)1 << 20)

typedef struct child_spec {
	void (*prepare)(void);   /* before the ceiling: build the input */
	void (*run)(void);       /* the workload; returning means it finished */
	size_t limit;            /* an absolute ceiling, or 0 */
	size_t headroom;         /* else: ceiling = heap in use after prepare + this; 0: none */
	bool rlimit;             /* instead: cap the address space, so malloc itself fails */
} child_spec;

typedef struct child_result {
	int status;
	char err[8192];
} child_result;

/* The child's own failures, told apart from exit 3 (cmocka lives in the parent). */
#define CHILD_FAILED 10

static void child_check(bool ok)
{
	if (!ok)
		_exit(CHILD_FAILED);
}

/* Address-space bytes mapped now (/proc/self/statm, first field). */
static size_t mapped_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long pages = 0;
	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static void run_child(const child_spec *spec, child_result *r)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		alarm(300); /* a hang ends as a signal, which fails the case */
		pl_xalloc_set_limit(0);
		if (spec->prepare)
			spec->prepare();
		if (spec->rlimit) {
			struct rlimit rl = { mapped_bytes() + 32 * MiB, RLIM_INFINITY };
			rl.rlim_max = rl.rlim_cur;
			child_check(setrlimit(RLIMIT_AS, &rl) == 0);
		} else if (spec->limit) {
			pl_xalloc_set_limit(spec->limit);
		} else if (spec->headroom) {
			pl_xalloc_set_limit(pl_xalloc_in_use() + spec->headroom);
		}
		spec->run();
		_exit(0);
	}
	close(fds[1]);
	size_t used = 0;
	for (;;) {
		ssize_t n = read(fds[0], r->err + used, sizeof(r->err) - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == sizeof(r->err) - 1)
			break;
	}
	r->err[used] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
}

/* The ceiling stops the workload: exit 3, one line naming the ceiling. */
static void expect_ceiling(child_spec spec, const char *prefix)
{
	child_result r;
	run_child(&spec, &r);
	if (!WIFEXITED(r.status))
		fail_msg("child ended by signal %d; stderr: %s", WTERMSIG(r.status), r.err);
	if (WEXITSTATUS(r.status) != PL_EXIT_OOM)
		fail_msg("child exited %d, not 3; stderr: %s", WEXITSTATUS(r.status), r.err);
	size_t n = strlen(prefix);
	if (strncmp(r.err, prefix, n) != 0)
		fail_msg("stderr does not start with '%s': %s", prefix, r.err);
	const char *tail = " in use; see --max-memory)\n";
	size_t len = strlen(r.err);
	assert_true(len > strlen(tail));
	assert_string_equal(r.err + len - strlen(tail), tail);
	assert_ptr_equal(strchr(r.err, '\n'), r.err + len - 1); /* one line */
}

/* Without a ceiling the same workload finishes cleanly. */
static void expect_finishes(child_spec spec)
{
	spec.limit = 0;
	spec.headroom = 0;
	child_result r;
	run_child(&spec, &r);
	if (!WIFEXITED(r.status) || WEXITSTATUS(r.status) != 0)
		fail_msg("control run failed (status %d); stderr: %s", r.status, r.err);
	assert_string_equal(r.err, "");
}

/* --- our own allocations ------------------------------------------------------ */

static void alloc_huge(void)
{
	pl_oom_set_file("src/app.py");
	child_check(pl_xmalloc((size_t)2 << 30) != NULL);
}

static void test_message_names_file_and_ceiling(void **state)
{
	(void)state;
	child_spec spec = { NULL, alloc_huge, 64 * MiB, 0, false };
	child_result r;
	run_child(&spec, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), PL_EXIT_OOM);
	assert_string_equal(r.err, "prodlint: src/app.py: out of memory (more than 64 MiB in use; "
				   "see --max-memory)\n");
}

static void alloc_huge_no_file(void)
{
	child_check(pl_xmalloc((size_t)3 << 30) != NULL);
}

static void test_message_without_file(void **state)
{
	(void)state;
	child_spec spec = { NULL, alloc_huge_no_file, 1536 * MiB, 0, false };
	child_result r;
	run_child(&spec, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), PL_EXIT_OOM);
	assert_string_equal(r.err, "prodlint: out of memory (more than 1.5 GiB in use; see "
				   "--max-memory)\n");
}

/* 32 MiB in 1 KiB pieces, kept: no single one is large, the sum is. */
static void alloc_many_small(void)
{
	for (size_t i = 0; i < 32 * 1024; i++) {
		char *p = pl_xmalloc(1024);
		p[0] = (char)i;
	}
}

static void test_many_small_allocations(void **state)
{
	(void)state;
	child_spec spec = { NULL, alloc_many_small, 0, 8 * MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/* Four threads run out at once: one message, naming one of their files. */
static void *alloc_forever(void *arg)
{
	static const char *const files[] = { "w0.py", "w1.py", "w2.py", "w3.py" };
	pl_oom_set_file(files[(uintptr_t)arg]);
	for (;;) {
		char *p = pl_xmalloc(64 * 1024);
		memset(p, 1, 64 * 1024);
	}
	return NULL;
}

static void alloc_in_threads(void)
{
	pthread_t t[4];
	for (uintptr_t i = 0; i < 4; i++)
		child_check(pthread_create(&t[i], NULL, alloc_forever, (void *)i) == 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

static void test_threads_one_message(void **state)
{
	(void)state;
	child_spec spec = { NULL, alloc_in_threads, 0, 32 * MiB, false };
	child_result r;
	run_child(&spec, &r);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), PL_EXIT_OOM);
	assert_memory_equal(r.err, "prodlint: w", strlen("prodlint: w"));
	assert_true(r.err[11] >= '0' && r.err[11] <= '3');
	const char *rest = ".py: out of memory (more than ";
	assert_memory_equal(r.err + 12, rest, strlen(rest));
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1); /* one line */
}

/* --- tree-sitter ----------------------------------------------------------------- */

static char *source;
static size_t source_len;

static void make_python(void)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	for (int i = 0; sb.len < MiB / 2; i++)
		pl_strbuf_addf(&sb, "def f%d(x, y=[1, 2, 3]):\n    return g(x.a, {\"k\": y}, %d)\n", i, i);
	source_len = sb.len;
	source = pl_strbuf_detach(&sb);
}

static void parse_python(void)
{
	TSParser *parser = ts_parser_new();
	child_check(ts_parser_set_language(parser, pl_language_by_name("python")->grammar()));
	TSTree *tree = ts_parser_parse_string(parser, NULL, source, (uint32_t)source_len);
	child_check(tree && !ts_node_has_error(ts_tree_root_node(tree)));
}

static void test_tree_sitter_parse(void **state)
{
	(void)state;
	child_spec spec = { make_python, parse_python, 0, 8 * MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

static void parse_python_named(void)
{
	pl_oom_set_file("big.py");
	parse_python();
}

/* malloc itself returns NULL inside tree-sitter: exit 3, not its abort(). */
static void test_tree_sitter_malloc_fails(void **state)
{
	(void)state;
#ifdef UNDER_ASAN
	skip(); /* ASan reserves terabytes of address space: no limit fits */
#endif
	child_spec spec = { make_python, parse_python_named, 0, 0, true };
	child_result r;
	run_child(&spec, &r);
	if (!WIFEXITED(r.status))
		fail_msg("child ended by signal %d; stderr: %s", WTERMSIG(r.status), r.err);
	assert_int_equal(WEXITSTATUS(r.status), PL_EXIT_OOM);
	assert_string_equal(r.err, "prodlint: big.py: out of memory\n");
}

/* --- jansson ------------------------------------------------------------------------ */

static json_t *document;

static void make_json(void)
{
	document = json_array();
	for (int i = 0; i < 50000; i++)
		json_array_append_new(document, json_pack("{s:i,s:s}", "line", i, "message",
							  "a finding message of some length"));
}

static void dump_json(void)
{
	char *s = json_dumps(document, JSON_INDENT(2));
	child_check(s && strlen(s) > 2 * MiB);
}

static void test_jansson_dump(void **state)
{
	(void)state;
	child_spec spec = { make_json, dump_json, 0, MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/* --- a rule file: libyaml for positions, libcyaml for the rule -------------------- */

static char *rule_file;
static size_t rule_file_len;

static void make_rule_file(void)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, "rules:\n"
			    "  - id: budget/long\n"
			    "    title: a rule with a long rationale\n"
			    "    severity: warning\n"
			    "    category: budget\n"
			    "    checklist: [RD3]\n"
			    "    remediation: r\n"
			    "    match:\n"
			    "      - languages: [python]\n"
			    "        query: (call) @call\n"
			    "    rationale: |\n");
	for (int i = 0; sb.len < 3 * MiB; i++)
		pl_strbuf_addf(&sb, "      line %d of a rationale nobody will read to the end\n", i);
	rule_file_len = sb.len;
	rule_file = pl_strbuf_detach(&sb);
}

static void load_rule_file(void)
{
	pl_ruleset rules = PL_RULESET_INIT;
	pl_diags d = PL_DIAGS_INIT;
	child_check(pl_ruleset_load_buffer(&rules, "long.yaml", rule_file, rule_file_len, &d) == 1);
}

static void test_rule_load(void **state)
{
	(void)state;
	child_spec spec = { make_rule_file, load_rule_file, 0, MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/*
 * The two YAML libraries one at a time, through the loader's own libcyaml
 * configuration (pl_yaml_doc_load). libyaml: a 4 MiB scalar that the schema
 * ignores, so only libyaml holds it. libcyaml: 48 list entries of 128 KiB
 * each from a few bytes of YAML, so only libcyaml allocates much.
 */
typedef struct ignored_doc {
	int unused;
} ignored_doc;

static const cyaml_schema_field_t ignored_fields[] = {
	CYAML_FIELD_IGNORE("text", CYAML_FLAG_OPTIONAL),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t ignored_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, ignored_doc, ignored_fields),
};

typedef struct wide_entry {
	int x;
	char pad[128 * 1024];
} wide_entry;

typedef struct wide_doc {
	wide_entry *items;
	unsigned items_count;
} wide_doc;

static const cyaml_schema_field_t wide_entry_fields[] = {
	CYAML_FIELD_INT("x", CYAML_FLAG_DEFAULT, wide_entry, x),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t wide_entry_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, wide_entry, wide_entry_fields),
};

static const cyaml_schema_field_t wide_fields[] = {
	CYAML_FIELD_SEQUENCE("items", CYAML_FLAG_POINTER, wide_doc, items, &wide_entry_schema, 0,
			     CYAML_UNLIMITED),
	CYAML_FIELD_END,
};

static const cyaml_schema_value_t wide_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, wide_doc, wide_fields),
};

static char *yaml_text;
static size_t yaml_len;

static void make_long_scalar(void)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, "text: ");
	while (sb.len < 4 * MiB)
		pl_strbuf_adds(&sb, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
	pl_strbuf_addch(&sb, '\n');
	yaml_len = sb.len;
	yaml_text = pl_strbuf_detach(&sb);
}

static void make_wide_list(void)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, "items:\n");
	for (int i = 0; i < 48; i++)
		pl_strbuf_addf(&sb, "  - x: %d\n", i);
	yaml_len = sb.len;
	yaml_text = pl_strbuf_detach(&sb);
}

static void load_yaml(const cyaml_schema_value_t *schema)
{
	pl_diags d = PL_DIAGS_INIT;
	pl_yaml_doc doc;
	pl_yaml_doc_init(&doc, "doc.yaml", &d);
	void *out;
	child_check(pl_yaml_doc_load(&doc, yaml_text, yaml_len, schema, &out) == 0 && out);
}

static void load_ignored(void)
{
	load_yaml(&ignored_schema);
}

static void load_wide(void)
{
	load_yaml(&wide_schema);
}

static void test_libyaml(void **state)
{
	(void)state;
	child_spec spec = { make_long_scalar, load_ignored, 0, MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

static void test_libcyaml(void **state)
{
	(void)state;
	child_spec spec = { make_wide_list, load_wide, 0, 2 * MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/* --- PCRE2 ------------------------------------------------------------------------- */

static char pattern[16 * 1024];

static void make_pattern(void)
{
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)('a' + i % 26);
}

/* 400 compiled 16 KiB patterns, kept: about 6 MiB of PCRE2's allocations. */
static void compile_patterns(void)
{
	for (int i = 0; i < 400; i++) {
		char err[128];
		size_t off;
		pl_regex *re = pl_regex_compile(pattern, sizeof(pattern), err, sizeof(err), &off);
		child_check(re && pl_regex_search(re, pattern, sizeof(pattern)));
	}
}

static void test_pcre2_compile(void **state)
{
	(void)state;
	child_spec spec = { make_pattern, compile_patterns, 0, 2 * MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/* --- libgit2 ----------------------------------------------------------------------- */

static char *message;

static void make_message(void)
{
	git_libgit2_init();
	size_t n = 8 * MiB;
	message = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		message[i] = i % 4096 == 4095 ? '\n' : 'm';
	message[n] = '\0';
}

static void prettify_message(void)
{
	git_buf out = { 0 };
	child_check(git_message_prettify(&out, message, 0, '#') == 0 && out.size > MiB);
}

static void test_libgit2(void **state)
{
	(void)state;
	child_spec spec = { make_message, prettify_message, 0, 2 * MiB, false };
	expect_ceiling(spec, "prodlint: out of memory (more than ");
	expect_finishes(spec);
}

/* --- libc calls that allocate inside -------------------------------------------- */

/* Take every byte malloc can still give under the address-space limit,
 * down to the chunks of each small size that the caches keep apart. */
static void exhaust_malloc(void)
{
	for (size_t size = 64 * 1024; size > 4096; size /= 2)
		while (malloc(size))
			;
	for (size_t size = 4096; size >= 8; size -= 8)
		while (malloc(size))
			;
}

static void realpath_exhausted(void)
{
	exhaust_malloc();
	child_check(pl_xrealpath(".") != NULL);
}

static void opendir_exhausted(void)
{
	exhaust_malloc();
	child_check(pl_xopendir(".") != NULL);
}

static void test_libc_enomem(void **state)
{
	(void)state;
	char *real = pl_xrealpath(".");
	assert_non_null(real);
	free(real);
	errno = 0;
	assert_null(pl_xrealpath("/nonexistent/prodlint-oom"));
	assert_int_equal(errno, ENOENT);
	DIR *d = pl_xopendir(".");
	assert_non_null(d);
	closedir(d);
	assert_null(pl_xopendir("/nonexistent/prodlint-oom"));
#ifdef UNDER_ASAN
	skip(); /* ASan reserves terabytes of address space: no limit fits */
#endif
	child_spec specs[] = {
		{ NULL, realpath_exhausted, 0, 0, true },
		{ NULL, opendir_exhausted, 0, 0, true },
	};
	for (size_t i = 0; i < 2; i++) {
		child_result r;
		run_child(&specs[i], &r);
		assert_true(WIFEXITED(r.status));
		assert_int_equal(WEXITSTATUS(r.status), PL_EXIT_OOM);
		assert_string_equal(r.err, "prodlint: out of memory\n");
	}
}

/* --- sizes ------------------------------------------------------------------------- */

static void test_parse_size(void **state)
{
	(void)state;
	size_t v;
	assert_int_equal(pl_mem_parse_size("512M", &v), 0);
	assert_true(v == 512 * MiB);
	assert_int_equal(pl_mem_parse_size("2G", &v), 0);
	assert_true(v == (size_t)2 << 30);
	assert_int_equal(pl_mem_parse_size("2gib", &v), 0);
	assert_true(v == (size_t)2 << 30);
	assert_int_equal(pl_mem_parse_size("64kB", &v), 0);
	assert_true(v == 64 * 1024);
	assert_int_equal(pl_mem_parse_size("1T", &v), 0);
	assert_true(v == (size_t)1 << 40);
	assert_int_equal(pl_mem_parse_size("1000", &v), 0);
	assert_true(v == 1000);
	assert_int_equal(pl_mem_parse_size("0", &v), 0);
	assert_true(v == 0);
	const char *bad[] = { "", "M", "-1", " 5M", "5 M", "1.5G", "5X", "5MB!", "5iB",
			      "99999999999999999999", "20000000000T" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (pl_mem_parse_size(bad[i], &v) == 0)
			fail_msg("'%s' parsed as a size", bad[i]);
}

static void test_default_limit(void **state)
{
	(void)state;
	size_t v = pl_mem_default_limit();
	assert_true(v > 0);
	assert_true(v <= (size_t)4 << 30);
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	assert_true(v <= (size_t)pages * (size_t)page / 2);
}

int main(void)
{
	pl_mem_init(); /* as main() does; the children inherit it */
	if (getenv("TEST_OOM_FILTER"))
		cmocka_set_test_filter(getenv("TEST_OOM_FILTER"));
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_default_limit),
		cmocka_unit_test(test_message_names_file_and_ceiling),
		cmocka_unit_test(test_message_without_file),
		cmocka_unit_test(test_many_small_allocations),
		cmocka_unit_test(test_threads_one_message),
		cmocka_unit_test(test_tree_sitter_parse),
		cmocka_unit_test(test_tree_sitter_malloc_fails),
		cmocka_unit_test(test_jansson_dump),
		cmocka_unit_test(test_libyaml),
		cmocka_unit_test(test_libcyaml),
		cmocka_unit_test(test_rule_load),
		cmocka_unit_test(test_pcre2_compile),
		cmocka_unit_test(test_libgit2),
		cmocka_unit_test(test_libc_enomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
