/*
 * Unit tests for the node edges of src/lang (lang.h): every node of a type
 * listed, in every fixture file of the repository and in snippets written
 * to hit the grammars' corners (escapes, template substitutions, JSX
 * character references, f-string interpolations, triple quotes, raw and
 * unterminated strings), has a byte its language lists right before and
 * right after it. The prefilter rules files out on these edges (relax.h),
 * so a byte missing from a table would lose findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "util/fs.h"
#include "util/regex.h"
#include "walk/walk.h"

typedef struct tally {
	const pl_language *lang;
	size_t checked[8];       /* per entry of lang->node_edges */
	size_t field_checked[8]; /* per entry of lang->field_edges */
	pl_regex *field_after[8]; /* per entry: \A, its gap, a byte it lists */
} tally;

static void tally_init(tally *t, const pl_language *lang)
{
	memset(t, 0, sizeof(*t));
	t->lang = lang;
	for (size_t k = 0; lang->field_edges && lang->field_edges[k].parent; k++) {
		const pl_node_edges *e = &lang->field_edges[k].edges;
		if (lang->field_edges[k].tail)
			continue;
		char re[1024], err[128];
		size_t off;
		snprintf(re, sizeof(re), "\\A%s[%s]", e->gap ? e->gap : "", e->after);
		t->field_after[k] = pl_regex_compile(re, strlen(re), err, sizeof(err), &off);
		if (!t->field_after[k])
			fail_msg("%s: %s", re, err);
	}
}

static void tally_release(tally *t)
{
	for (size_t k = 0; k < 8; k++)
		pl_regex_delete(t->field_after[k]);
}

/* The node in a field of a parent with field edges: what follows it. */
static void check_field(tally *t, const char *name, TSTreeCursor *cur, const char *text,
			size_t len)
{
	const char *field = ts_tree_cursor_current_field_name(cur);
	TSNode node = ts_tree_cursor_current_node(cur);
	TSNode parent = ts_node_parent(node);
	/* Inside error recovery, fields take what the parser could make of
	 * broken code: the prefilter may pass those by (docs/rules.md). */
	if (ts_node_is_null(parent) || ts_node_has_error(parent))
		return;
	const char *ptype = ts_node_type(parent);
	const pl_field_edges *f = pl_language_field_edges(t->lang, ptype, strlen(ptype), field,
							  field ? strlen(field) : 0);
	if (!f)
		return;
	if (!field)
		field = "child"; /* a wrapper's one child */
	size_t k = (size_t)(f - t->lang->field_edges);
	uint32_t end = ts_node_end_byte(node);
	if (f->tail) {
		if (end != ts_node_end_byte(parent))
			fail_msg("%s: the %s of a %s %s ends at byte %u, before its parent does", name,
				 field, t->lang->name, ptype, end);
	} else if (!pl_regex_search(t->field_after[k], text + end, len - end)) {
		fail_msg("%s: the %s of a %s %s ends at byte %u, where no '%s' follows", name, field,
			 t->lang->name, ptype, end, f->edges.after);
	}
	t->field_checked[k]++;
}

static bool edge_before_ok(const pl_node_edges *e, const char *text, uint32_t start)
{
	if (!e->before)
		return true;
	if (start == 0)
		return false; /* such a node never starts a file */
	if (strchr(e->before, text[start - 1]))
		return true;
	for (unsigned k = 2; k <= e->escape_before && k <= start; k++)
		if (text[start - k] == '\\')
			return true;
	return false;
}

static bool edge_after_ok(const pl_node_edges *e, const char *text, size_t len, uint32_t end)
{
	if (!e->after || end >= len)
		return true;
	char c = text[end];
	return c == '\n' || c == '\r' || strchr(e->after, c);
}

static void check_text(tally *t, const char *name, const char *text, size_t len)
{
	TSParser *parser = ts_parser_new();
	assert_true(ts_parser_set_language(parser, t->lang->grammar()));
	TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	assert_non_null(tree);
	TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(tree));
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);
		const char *type = ts_node_type(node);
		const pl_node_edges *e = pl_language_node_edges(t->lang, type, strlen(type));
		uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
		if (e && end > start) {
			if (!edge_before_ok(e, text, start))
				fail_msg("%s: a %s %s at byte %u follows '%c', which its edges do not list",
					 name, t->lang->name, type, start, start ? text[start - 1] : '^');
			if (!edge_after_ok(e, text, len, end))
				fail_msg("%s: a %s %s ending at byte %u is followed by '%c', which its "
					 "edges do not list", name, t->lang->name, type, end, text[end]);
			t->checked[e - t->lang->node_edges]++;
		}
		check_field(t, name, &cur, text, len);
		if (ts_tree_cursor_goto_first_child(&cur))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cur))
			if (!ts_tree_cursor_goto_parent(&cur))
				goto done;
	}
done:
	ts_tree_cursor_delete(&cur);
	ts_tree_delete(tree);
	ts_parser_delete(parser);
}

static void check_snippets(const char *lang_name, const char *const *snippets)
{
	const pl_language *lang = pl_language_by_name(lang_name);
	assert_non_null(lang);
	assert_non_null(lang->node_edges);
	tally t;
	tally_init(&t, lang);
	for (size_t i = 0; snippets[i]; i++)
		check_text(&t, snippets[i], snippets[i], strlen(snippets[i]));
	for (size_t k = 0; lang->node_edges[k].type; k++)
		if (t.checked[k] == 0)
			fail_msg("no %s %s in the snippets", lang_name, lang->node_edges[k].type);
	for (size_t k = 0; lang->field_edges && lang->field_edges[k].parent; k++)
		if (t.field_checked[k] == 0)
			fail_msg("no %s %s.%s in the snippets", lang_name, lang->field_edges[k].parent,
				 lang->field_edges[k].field ? lang->field_edges[k].field : "child");
	tally_release(&t);
}

static void test_javascript_corners(void **state)
{
	(void)state;
	static const char *const js[] = {
		"const a = \"plain\", b = 'single', c = \"esc\\n\\u0041\\x41\\101\\u{1F600}end\";\n",
		"const t = `tpl ${x} mid $notsub ${y}tail\\`q`;\n",
		"const j = <a title=\"x &amp; y &#39;z&#x41;w\" alt='q&lt;r'>text</a>;\n",
		"const cont = \"line\\\ncontinued\";\n",
		"const broken = \"unterminated\nconst next = 1;\n",
		"const lone = \"a&b\";\n",
		"const o = { system: 1, 'role' : 2, [k]/* c */: 3, 4 // c\n : 5, \"q\"\u00a0: 6 };\n",
		"f(1); tag`t${x}`; o.m?.(2); g /* c */ (3); new C()(4); (a || b)(5);\n",
		NULL,
	};
	check_snippets("javascript", js);
	static const char *const ts[] = {
		"type T = `prefix-${string}-suffix`;\nconst s: string = 'it\\'s';\n",
		"const o = { name: 'x', execute /* c */ : run };\n",
		"h<T>(x); o.m?.<U>(y); i\n(z);\n",
		"const u = \"\\u00e9t\\u00e9\"; const v = `a${b}\\${c}`;\n",
		NULL,
	};
	check_snippets("typescript", ts);
	static const char *const tsx[] = {
		"const e = <div className=\"a&quot;b\" data-x='y'>{`t${v}`}</div>;\n",
		"const p = { role: 'system' }; run(p); cp.exec(c);\n",
		NULL,
	};
	check_snippets("tsx", tsx);
}

static void test_python_corners(void **state)
{
	(void)state;
	static const char *const py[] = {
		"a = \"plain\"; b = 'single'; c = \"esc\\n\\x41\\N{DASH}end\"\n",
		"f = f\"pre {x} mid {y!r:>{w}} {{literal}} post\"\n",
		"t = \"\"\"triple \"quoted\" 'inner'\nline\"\"\"\n",
		"r = r\"raw \\\" quote\"; by = b\"bytes \\u0041\"\n",
		"u = 'unterminated\nnext = 1\n",
		"g = `backquoted`\n",
		"os.system(cmd); a.b . c (d)\n",
		"h(system='x', instructions # why\n = y, model \\\n='m')\nd = {'role' : 'system', k # c\n : v}\n",
		NULL,
	};
	check_snippets("python", py);
}

static void test_go_corners(void **state)
{
	(void)state;
	static const char *const go[] = {
		"package p\nvar a = \"plain\\t\\x41\\u00e9\\U0001F600\\101end\"\n",
		"var r = `raw \"quoted\" \\n`\nvar e = `` + \"\"\n",
		"package p\nfunc f() { g(1); h[int](2); o.m /* c */ (3); make([]int, 4) }\n",
		"var u = \"unterminated\nvar v = 1\n",
		"package p\nvar m = Msg{Role: \"system\", System /* c */ : text, Content // c\n: x,"
		" Parts: []P{{Text: t}}, 1: y, f(k) : z, \"k\":{a: 1}, (w): -v}\n",
		NULL,
	};
	check_snippets("go", go);
}

/* Every fixture file of a language with edges. */
static void test_fixture_files(void **state)
{
	(void)state;
	const char *src = getenv("PRODLINT_SOURCE_DIR");
	char root[4096];
	snprintf(root, sizeof(root), "%s/fixtures", src ? src : ".");
	pl_walk_options opt = PL_WALK_OPTIONS_INIT;
	opt.no_ignore = true;
	pl_file_list files = PL_FILE_LIST_INIT;
	pl_diags diags = PL_DIAGS_INIT;
	assert_int_equal(pl_walk(root, NULL, 0, &opt, &files, &diags), 0);
	size_t checked = 0, nodes = 0;
	for (size_t i = 0; i < files.len; i++) {
		const pl_file *f = &files.items[i];
		if (!f->lang->node_edges || !f->lang->grammar)
			continue;
		char *text;
		size_t len;
		assert_int_equal(pl_read_file(f->fs_path, (size_t)16 << 20, &text, &len), PL_READ_OK);
		tally t;
		tally_init(&t, f->lang);
		check_text(&t, f->path, text, len);
		for (size_t k = 0; f->lang->node_edges[k].type; k++)
			nodes += t.checked[k];
		for (size_t k = 0; f->lang->field_edges && f->lang->field_edges[k].parent; k++)
			nodes += t.field_checked[k];
		tally_release(&t);
		checked++;
		free(text);
	}
	assert_true(checked > 100); /* the fixtures were found */
	assert_true(nodes > 1000);
	pl_file_list_release(&files);
	pl_diags_release(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_javascript_corners),
		cmocka_unit_test(test_python_corners),
		cmocka_unit_test(test_go_corners),
		cmocka_unit_test(test_fixture_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
