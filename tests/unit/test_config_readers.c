/*
 * Unit tests for the JSON, TOML and Dockerfile readers (src/config/
 * json_reader.c, toml_reader.c, dockerfile_reader.c): positions of keys and
 * values, scalar types, string decoding, nesting, syntax errors with their
 * position, the nesting limit on 10,000-deep inputs built in memory, and
 * for Dockerfiles stages, continuations, directives, heredocs, the exec
 * form, flags and image references.
 *
 * Inputs are copied into buffers of exactly their length (no NUL after
 * them), so a reader that looks past `len` shows up under ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/reader.h"

typedef struct fx {
	TSParser *parser;
	pl_config cfg;
	pl_config_error err;
	char *buf;               /* the current input, exactly len bytes */
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	f->parser = ts_parser_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	pl_config_release(&f->cfg);
	ts_parser_delete(f->parser);
	free(f->buf);
	free(f);
	return 0;
}

enum fmt { JSON, TOML, DOCKER };

/* Read `len` bytes of `text` (copied to an exact-size buffer) into a fresh config. */
static pl_config_status read_n(fx *f, enum fmt fmt, const char *text, size_t len)
{
	pl_config_release(&f->cfg);
	memset(&f->cfg, 0, sizeof(f->cfg));
	free(f->buf);
	f->buf = malloc(len ? len : 1);
	memcpy(f->buf, text, len);
	switch (fmt) {
	case JSON: return pl_config_read_json(&f->cfg, f->parser, f->buf, len, &f->err);
	case TOML: return pl_config_read_toml(&f->cfg, f->parser, f->buf, len, &f->err);
	default: return pl_config_read_dockerfile(&f->cfg, f->buf, len, &f->err);
	}
}

static pl_config_status read_s(fx *f, enum fmt fmt, const char *text)
{
	return read_n(f, fmt, text, strlen(text));
}

/* The only document of a successful read. */
static const pl_node *doc_of(fx *f, enum fmt fmt, const char *text)
{
	pl_config_status st = read_s(f, fmt, text);
	if (st != PL_CONFIG_OK)
		fail_msg("read failed (%d) at %u:%u: %s", st, f->err.line, f->err.col, f->err.message);
	assert_int_equal(f->cfg.ndocuments, 1);
	return f->cfg.documents[0];
}

/* The node at a dotted path: mapping keys, or item indexes in sequences ("a.0.b"). */
static const pl_node *at(const pl_node *n, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *save = NULL, *part = strtok_r(buf, ".", &save); part && n;
	     part = strtok_r(NULL, ".", &save)) {
		if (n->kind == PL_NODE_SEQUENCE) {
			size_t i = strtoul(part, NULL, 10);
			n = i < n->nitems ? n->items[i] : NULL;
		} else {
			n = pl_node_get(n, part);
		}
	}
	if (!n)
		fail_msg("no node at %s", path);
	return n;
}

static bool has(const pl_node *n, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	char *dot = strrchr(buf, '.');
	if (dot) {
		*dot = '\0';
		n = at(n, buf);
	}
	return pl_node_get(n, dot ? dot + 1 : buf) != NULL;
}

static void assert_at(const pl_node *n, unsigned line, unsigned col)
{
	if (n->line != line || n->col != col)
		fail_msg("node at %u:%u, expected %u:%u", n->line, n->col, line, col);
}

static void assert_span(const pl_node *n, unsigned line, unsigned col, unsigned end_line, unsigned end_col)
{
	if (n->line != line || n->col != col || n->end_line != end_line || n->end_col != end_col)
		fail_msg("node at %u:%u-%u:%u, expected %u:%u-%u:%u", n->line, n->col, n->end_line,
			 n->end_col, line, col, end_line, end_col);
}

static void assert_key_at(const pl_node *map, const char *key, unsigned line, unsigned col)
{
	const pl_pair *p = pl_node_get_pair(map, key);
	assert_non_null(p);
	if (p->key_line != line || p->key_col != col)
		fail_msg("key %s at %u:%u, expected %u:%u", key, p->key_line, p->key_col, line, col);
}

static void assert_scalar(const pl_node *n, pl_scalar_type type, const char *expected)
{
	assert_int_equal(n->kind, PL_NODE_SCALAR);
	assert_int_equal(n->type, type);
	assert_string_equal(n->text, expected);
	assert_int_equal(n->text_len, strlen(expected));
}

static void assert_error(fx *f, unsigned line, unsigned col, const char *msg_part)
{
	if (f->err.line != line || f->err.col != col)
		fail_msg("error at %u:%u (%s), expected %u:%u", f->err.line, f->err.col, f->err.message,
			 line, col);
	if (msg_part && !strstr(f->err.message, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", f->err.message, msg_part);
}

/* `n` copies of `open`, then `middle`, then `n` copies of `close` (malloc'd). */
static char *nest(size_t n, const char *open, const char *middle, const char *close, size_t *len)
{
	size_t lo = strlen(open), lm = strlen(middle), lc = strlen(close);
	*len = n * lo + lm + n * lc;
	char *s = malloc(*len + 1), *p = s;
	for (size_t i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, middle, lm);
	p += lm;
	for (size_t i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

/* --- JSON ------------------------------------------------------------------------ */

static void test_json_types_and_positions(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, JSON,
				  "{\n"
				  "  \"name\": \"web\",\n"
				  "  \"replicas\": 3,\n"
				  "  \"ratio\": 0.5,\n"
				  "  \"on\": true, \"off\": false,\n"
				  "  \"none\": null,\n"
				  "  \"ports\": [80, {\"p\": 443}]\n"
				  "}\n");
	assert_int_equal(d->kind, PL_NODE_MAPPING);
	assert_span(d, 1, 1, 8, 2);
	assert_int_equal(d->npairs, 7);
	assert_string_equal(d->pairs[0].key, "name"); /* source order */
	assert_string_equal(d->pairs[6].key, "ports");

	assert_scalar(at(d, "name"), PL_SCALAR_STRING, "web");
	assert_key_at(d, "name", 2, 3);
	assert_span(at(d, "name"), 2, 11, 2, 16); /* the quotes are part of the value's span */

	assert_scalar(at(d, "replicas"), PL_SCALAR_INT, "3");
	assert_true(at(d, "replicas")->number == 3.0);
	assert_span(at(d, "replicas"), 3, 15, 3, 16);
	assert_scalar(at(d, "ratio"), PL_SCALAR_FLOAT, "0.5");
	assert_true(at(d, "ratio")->number == 0.5);
	assert_scalar(at(d, "on"), PL_SCALAR_BOOL, "true");
	assert_true(at(d, "on")->boolean);
	assert_scalar(at(d, "off"), PL_SCALAR_BOOL, "false");
	assert_false(at(d, "off")->boolean);
	assert_key_at(d, "off", 5, 15);
	assert_scalar(at(d, "none"), PL_SCALAR_NULL, "null");

	const pl_node *ports = at(d, "ports");
	assert_int_equal(ports->kind, PL_NODE_SEQUENCE);
	assert_int_equal(ports->nitems, 2);
	assert_span(ports, 7, 12, 7, 28);
	assert_int_equal(at(d, "ports.1")->kind, PL_NODE_MAPPING);
	assert_key_at(at(d, "ports.1"), "p", 7, 18);
	assert_at(at(d, "ports.1.p"), 7, 23);
}

static void test_json_strings(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, JSON,
				  "[\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\","
				  " \"\\u00e9\\u20AC\","
				  " \"\\ud83d\\ude00\","
				  " \"\\ud800x\","
				  " \"\\udc00\","
				  " \"\\ud800\\u0041\","
				  " \"caf\xc3\xa9\","
				  " \"\","
				  " \"\\u0000z\"]");
	assert_int_equal(d->nitems, 9);
	assert_scalar(at(d, "0"), PL_SCALAR_STRING, "q\" b\\ s/ \b\f\n\r\t");
	assert_scalar(at(d, "1"), PL_SCALAR_STRING, "\xc3\xa9\xe2\x82\xac");
	assert_scalar(at(d, "2"), PL_SCALAR_STRING, "\xf0\x9f\x98\x80"); /* surrogate pair */
	assert_scalar(at(d, "3"), PL_SCALAR_STRING, "\xef\xbf\xbdx");      /* lone high */
	assert_scalar(at(d, "4"), PL_SCALAR_STRING, "\xef\xbf\xbd");       /* lone low */
	assert_scalar(at(d, "5"), PL_SCALAR_STRING, "\xef\xbf\xbd" "A");   /* high + non-low */
	assert_scalar(at(d, "6"), PL_SCALAR_STRING, "caf\xc3\xa9");
	assert_scalar(at(d, "7"), PL_SCALAR_STRING, "");
	/* An escaped NUL stays in the text; text_len counts it. */
	assert_int_equal(at(d, "8")->text_len, 2);
	assert_memory_equal(at(d, "8")->text, "\0z", 2);

	/* Keys are decoded too. */
	d = doc_of(f, JSON, "{\"a\\u0062c\": 1}");
	assert_string_equal(d->pairs[0].key, "abc");
	assert_int_equal(d->pairs[0].key_len, 3);

	/* Invalid UTF-8 is copied through. */
	d = doc_of(f, JSON, "[\"\xff\xfe ok\"]");
	assert_scalar(at(d, "0"), PL_SCALAR_STRING, "\xff\xfe ok");
}

static void test_json_numbers(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, JSON, "[0, -0, 12, -7, 1.5, 1e5, 1E+5, 2e-3, -2.5E+10, 1e400,"
					   " 12345678901234567890, \"1e+5\"]");
	static const struct {
		pl_scalar_type type;
		const char *text;
		double value;
	} want[] = {
		{ PL_SCALAR_INT, "0", 0 },
		{ PL_SCALAR_INT, "-0", 0 },
		{ PL_SCALAR_INT, "12", 12 },
		{ PL_SCALAR_INT, "-7", -7 },
		{ PL_SCALAR_FLOAT, "1.5", 1.5 },
		{ PL_SCALAR_FLOAT, "1e5", 1e5 },
		{ PL_SCALAR_FLOAT, "1E+5", 1e5 }, /* the grammar alone rejects the '+' */
		{ PL_SCALAR_FLOAT, "2e-3", 2e-3 },
		{ PL_SCALAR_FLOAT, "-2.5E+10", -2.5e10 },
		{ PL_SCALAR_FLOAT, "1e400", INFINITY },
		{ PL_SCALAR_INT, "12345678901234567890", 12345678901234567890.0 },
		{ PL_SCALAR_STRING, "1e+5", 0 }, /* not touched inside strings */
	};
	assert_int_equal(d->nitems, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d->nitems; i++) {
		assert_scalar(d->items[i], want[i].type, want[i].text);
		if (want[i].type != PL_SCALAR_STRING)
			assert_true(d->items[i]->number == want[i].value);
	}
	assert_span(at(d, "6"), 1, 27, 1, 31);

	/* A top-level scalar is a document too. */
	d = doc_of(f, JSON, "  42\n");
	assert_scalar(d, PL_SCALAR_INT, "42");
	assert_at(d, 1, 3);
}

static void test_json_errors(void **state)
{
	fx *f = *state;
	static const struct {
		const char *text;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ "{\"a\": [1, 2}", 1, 12, "not valid JSON" },
		/* tree-sitter's recovery starts the ERROR at the comma before "b" */
		{ "{\n  \"a\": 1,\n  \"b\" 2\n}", 2, 9, "not valid JSON" },
		{ "{\"a\": 1,}", 1, 8, "not valid JSON" },
		{ "[\"bad \\x escape\"]", 1, 7, "not valid JSON" },
		{ "{\"a\": tru}", 1, 2, "not valid JSON" }, /* the ERROR covers the pair */
		{ "[1]\n[2]", 2, 1, "more than one top-level value" },
		{ "\n\n  @", 3, 3, "not valid JSON" },
		{ "[1, 2", 1, 6, "missing" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pl_config_status st = read_s(f, JSON, cases[i].text);
		if (st != PL_CONFIG_INVALID)
			fail_msg("case %zu: status %d", i, st);
		assert_error(f, cases[i].line, cases[i].col, cases[i].msg);
		assert_int_equal(f->cfg.ndocuments, 0);
	}
}

static void test_json_empty_and_comments(void **state)
{
	fx *f = *state;
	assert_int_equal(read_s(f, JSON, ""), PL_CONFIG_OK);
	assert_int_equal(f->cfg.ndocuments, 0);
	assert_int_equal(read_s(f, JSON, "  \n// nothing\n"), PL_CONFIG_OK);
	assert_int_equal(f->cfg.ndocuments, 0);

	/* JSONC (tsconfig.json, devcontainer.json): comments are skipped. */
	const pl_node *d = doc_of(f, JSON, "{\n  // c\n  \"a\": /* x */ 1, /* y */\n  \"b\": [/* z */]\n}");
	assert_int_equal(d->npairs, 2);
	assert_scalar(at(d, "a"), PL_SCALAR_INT, "1");
	assert_int_equal(at(d, "b")->nitems, 0);
	assert_key_at(d, "b", 4, 3);
}

static void test_json_depth_limit(void **state)
{
	fx *f = *state;
	size_t len;
	char *deep = nest(10000, "[", "1", "]", &len);
	assert_int_equal(read_n(f, JSON, deep, len), PL_CONFIG_LIMIT);
	assert_error(f, 1, PL_CONFIG_MAX_DEPTH + 1, "deeper");
	free(deep);

	deep = nest(10000, "{\"k\":", "1", "}", &len);
	assert_int_equal(read_n(f, JSON, deep, len), PL_CONFIG_LIMIT);
	free(deep);

	/* Unbalanced: an error, found without recursion. */
	deep = nest(10000, "[", "", "", &len);
	assert_int_equal(read_n(f, JSON, deep, len), PL_CONFIG_INVALID);
	free(deep);

	/* Exactly at the limit is fine. */
	deep = nest(PL_CONFIG_MAX_DEPTH, "[", "\"x\"", "]", &len);
	assert_int_equal(read_n(f, JSON, deep, len), PL_CONFIG_OK);
	const pl_node *n = f->cfg.documents[0];
	for (int i = 1; i < PL_CONFIG_MAX_DEPTH; i++)
		n = n->items[0];
	assert_scalar(n->items[0], PL_SCALAR_STRING, "x");
	free(deep);
	deep = nest(PL_CONFIG_MAX_DEPTH + 1, "[", "", "]", &len);
	assert_int_equal(read_n(f, JSON, deep, len), PL_CONFIG_LIMIT);
	free(deep);
}

static void test_json_bytes(void **state)
{
	fx *f = *state;
	/* A NUL inside a string: copied through, no truncation, no crash. */
	static const char with_nul[] = "[\"a\0b\", 1]";
	pl_config_status st = read_n(f, JSON, with_nul, sizeof(with_nul) - 1);
	assert_true(st == PL_CONFIG_OK || st == PL_CONFIG_INVALID);
	if (st == PL_CONFIG_OK) {
		assert_int_equal(at(f->cfg.documents[0], "0")->text_len, 3);
		assert_memory_equal(at(f->cfg.documents[0], "0")->text, "a\0b", 3);
	}
	/* A NUL between values is not JSON. */
	static const char stray[] = "[1,\0 2]";
	assert_int_equal(read_n(f, JSON, stray, sizeof(stray) - 1), PL_CONFIG_INVALID);
	/* `len` bounds the read: the bytes after it are not looked at. */
	assert_int_equal(read_n(f, JSON, "[1] garbage", 3), PL_CONFIG_OK);
	assert_int_equal(read_n(f, JSON, "[\"abc", 3), PL_CONFIG_INVALID);
}

/* --- TOML -------------------------------------------------------------------------- */

static void test_toml_scalars(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, TOML,
				  "# top\n"
				  "name = \"web\"\n"
				  "n = 1_000\n"
				  "neg = -17\n"
				  "pos = +99\n"
				  "hex = 0xDEAD_beef\n"
				  "oct = 0o755\n"
				  "bin = 0b1101\n"
				  "fl = 6.626e-34\n"
				  "fl2 = 1_000.5\n"
				  "pinf = inf\n"
				  "ninf = -inf\n"
				  "nan = nan\n"
				  "yes = true\n"
				  "no = false\n"
				  "odt = 1979-05-27T07:32:00Z\n"
				  "ld = 1979-05-27\n"
				  "lt = 07:32:00\n");
	assert_int_equal(d->kind, PL_NODE_MAPPING);
	assert_at(d, 1, 1);
	assert_scalar(at(d, "name"), PL_SCALAR_STRING, "web");
	assert_key_at(d, "name", 2, 1);
	assert_span(at(d, "name"), 2, 8, 2, 13);
	assert_scalar(at(d, "n"), PL_SCALAR_INT, "1_000"); /* source text; number is the value */
	assert_true(at(d, "n")->number == 1000);
	assert_true(at(d, "neg")->number == -17);
	assert_true(at(d, "pos")->number == 99);
	assert_true(at(d, "hex")->number == 3735928559.0);
	assert_true(at(d, "oct")->number == 493);
	assert_true(at(d, "bin")->number == 13);
	assert_int_equal(at(d, "bin")->type, PL_SCALAR_INT);
	assert_int_equal(at(d, "fl")->type, PL_SCALAR_FLOAT);
	assert_true(at(d, "fl")->number == 6.626e-34);
	assert_true(at(d, "fl2")->number == 1000.5);
	assert_true(isinf(at(d, "pinf")->number) && at(d, "pinf")->number > 0);
	assert_true(isinf(at(d, "ninf")->number) && at(d, "ninf")->number < 0);
	assert_int_equal(at(d, "nan")->type, PL_SCALAR_FLOAT);
	assert_true(isnan(at(d, "nan")->number));
	assert_scalar(at(d, "yes"), PL_SCALAR_BOOL, "true");
	assert_true(at(d, "yes")->boolean);
	assert_false(at(d, "no")->boolean);
	assert_scalar(at(d, "odt"), PL_SCALAR_STRING, "1979-05-27T07:32:00Z");
	assert_scalar(at(d, "ld"), PL_SCALAR_STRING, "1979-05-27");
	assert_scalar(at(d, "lt"), PL_SCALAR_STRING, "07:32:00");
	assert_span(at(d, "lt"), 18, 6, 18, 14);

	/* An empty file is an empty table. */
	d = doc_of(f, TOML, "");
	assert_int_equal(d->kind, PL_NODE_MAPPING);
	assert_int_equal(d->npairs, 0);
}

static void test_toml_strings(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, TOML,
				  "basic = \"tab\\there \\\"q\\\" \\\\ \\u00e9 \\U0001F600\"\n"
				  "lit = 'C:\\Users\\n'\n"
				  "ml = \"\"\"\n"
				  "Roses\n"
				  "  are\\\n"
				  "     red\"\"\"\n"
				  "mlq = \"\"\"a \"quoted\" \"\"\"\"\"\n"
				  "mll = '''\n"
				  "raw \\n\n"
				  "'''\n"
				  "crlf = \"\"\"\r\nx\"\"\"\n"
				  "empty = \"\"\n"
				  "\"quoted key\" = 1\n"
				  "'lit key' = 2\n"
				  "\"k\\u0041\" = 3\n");
	assert_scalar(at(d, "basic"), PL_SCALAR_STRING,
		      "tab\there \"q\" \\ \xc3\xa9 \xf0\x9f\x98\x80");
	assert_scalar(at(d, "lit"), PL_SCALAR_STRING, "C:\\Users\\n");
	/* Newline after the opener dropped; line-ending backslash eats the break and indent. */
	assert_scalar(at(d, "ml"), PL_SCALAR_STRING, "Roses\n  arered");
	assert_span(at(d, "ml"), 3, 6, 6, 12);
	assert_scalar(at(d, "mlq"), PL_SCALAR_STRING, "a \"quoted\" \"\"");
	assert_scalar(at(d, "mll"), PL_SCALAR_STRING, "raw \\n\n");
	assert_scalar(at(d, "crlf"), PL_SCALAR_STRING, "x");
	assert_scalar(at(d, "empty"), PL_SCALAR_STRING, "");
	assert_true(at(d, "quoted key")->number == 1);
	assert_key_at(d, "quoted key", 14, 1);
	assert_true(at(d, "lit key")->number == 2);
	assert_true(at(d, "kA")->number == 3);
}

static void test_toml_tables(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, TOML,
				  "title = \"t\"\n"
				  "a.b.\"c d\" = 1\n"
				  "\n"
				  "[server.alpha]\n"
				  "ip = \"10.0.0.1\"\n"
				  "port.http = 80\n"
				  "\n"
				  "[server]\n"
				  "name = \"s\"\n"
				  "\n"
				  "[\"dotted.key\".x]\n"
				  "y = 1\n");
	assert_key_at(d, "a", 2, 1);
	assert_key_at(at(d, "a"), "b", 2, 3);
	assert_key_at(at(d, "a.b"), "c d", 2, 5);
	assert_true(at(d, "a.b")->pairs[0].value->number == 1);
	assert_at(at(d, "a"), 2, 1);

	const pl_node *server = at(d, "server");
	assert_int_equal(server->kind, PL_NODE_MAPPING);
	assert_int_equal(server->npairs, 2); /* alpha, then name from the later [server] */
	assert_string_equal(server->pairs[0].key, "alpha");
	assert_string_equal(server->pairs[1].key, "name");
	assert_key_at(d, "server", 4, 2);
	assert_key_at(server, "alpha", 4, 9);
	assert_at(at(d, "server.alpha"), 4, 1); /* a header's table starts at its '[' */
	assert_scalar(at(d, "server.alpha.ip"), PL_SCALAR_STRING, "10.0.0.1");
	assert_key_at(at(d, "server.alpha"), "ip", 5, 1);
	assert_true(at(d, "server.alpha.port.http")->number == 80);
	assert_scalar(at(d, "server.name"), PL_SCALAR_STRING, "s");
	assert_key_at(server, "name", 9, 1);
	/* The table spans its header to its last pair, not to the next header. */
	assert_span(at(d, "server.alpha"), 4, 1, 6, 15);

	/* A quoted segment may hold a dot. */
	const pl_pair *p = pl_node_get_pair(d, "dotted.key");
	assert_non_null(p);
	assert_true(pl_node_get(p->value, "x")->pairs[0].value->number == 1);
}

static void test_toml_array_of_tables(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, TOML,
				  "[[products]]\n"
				  "name = \"Hammer\"\n"
				  "\n"
				  "[[products]]\n"
				  "\n"
				  "[[products]]\n"
				  "name = \"Nail\"\n"
				  "[products.dims]\n"
				  "w = 2\n"
				  "[[products.variants]]\n"
				  "c = \"red\"\n"
				  "[[products.variants]]\n"
				  "c = \"blue\"\n");
	const pl_node *seq = at(d, "products");
	assert_int_equal(seq->kind, PL_NODE_SEQUENCE);
	assert_int_equal(seq->nitems, 3);
	assert_at(seq, 1, 1);
	assert_key_at(d, "products", 1, 3);
	assert_scalar(at(d, "products.0.name"), PL_SCALAR_STRING, "Hammer");
	assert_at(at(d, "products.0"), 1, 1);
	assert_int_equal(at(d, "products.1")->npairs, 0);
	assert_at(at(d, "products.1"), 4, 1);
	assert_scalar(at(d, "products.2.name"), PL_SCALAR_STRING, "Nail");
	/* Sub-tables go into the last element. */
	assert_true(at(d, "products.2.dims.w")->number == 2);
	assert_int_equal(at(d, "products.2.variants")->nitems, 2);
	assert_scalar(at(d, "products.2.variants.1.c"), PL_SCALAR_STRING, "blue");
	assert_false(has(at(d, "products.0"), "dims"));
}

static void test_toml_inline_and_arrays(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, TOML,
				  "arr = [1, [2, \"x\"], {a = 1, b.c = true}]\n"
				  "multi = [\n"
				  "  \"a\", # first\n"
				  "  # between\n"
				  "  \"b\",\n"
				  "]\n"
				  "point = { x = 1, y = { z = [] } }\n");
	assert_int_equal(at(d, "arr")->nitems, 3);
	assert_span(at(d, "arr"), 1, 7, 1, 41);
	assert_int_equal(at(d, "arr.1")->kind, PL_NODE_SEQUENCE);
	assert_scalar(at(d, "arr.1.1"), PL_SCALAR_STRING, "x");
	assert_int_equal(at(d, "arr.2")->kind, PL_NODE_MAPPING);
	assert_true(at(d, "arr.2.b.c")->boolean);
	assert_key_at(at(d, "arr.2.b"), "c", 1, 31);
	assert_int_equal(at(d, "multi")->nitems, 2);
	assert_at(at(d, "multi.1"), 5, 3);
	assert_int_equal(at(d, "point.y.z")->kind, PL_NODE_SEQUENCE);
	assert_int_equal(at(d, "point.y.z")->nitems, 0);
}

static void test_toml_redefinition(void **state)
{
	fx *f = *state;
	/* Not valid TOML, but accepted: the last definition wins on lookup. */
	const pl_node *d = doc_of(f, TOML, "a = 1\na = 2\n[t]\nx = 1\n[t]\ny = 2\n");
	assert_true(at(d, "a")->number == 2);
	assert_true(at(d, "t.x")->number == 1);
	assert_true(at(d, "t.y")->number == 2);
	d = doc_of(f, TOML, "a = 1\na.b = 2\n");
	assert_true(at(d, "a.b")->number == 2);
}

static void test_toml_errors(void **state)
{
	fx *f = *state;
	static const struct {
		const char *text;
		unsigned line, col;
	} cases[] = {
		{ "a = \nb = 1\n", 1, 1 },
		{ "ok = 1\n[a\nb = 1\n", 2, 1 },
		{ "x = [1, 2\n", 1, 1 }, /* the ERROR node covers the whole pair */
		{ "s = \"unterminated\n", 1, 1 },
		{ "= 1\n", 1, 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pl_config_status st = read_s(f, TOML, cases[i].text);
		if (st != PL_CONFIG_INVALID)
			fail_msg("case %zu: status %d", i, st);
		if (f->err.line != cases[i].line || f->err.col != cases[i].col)
			fail_msg("case %zu: error at %u:%u, expected %u:%u", i, f->err.line, f->err.col,
				 cases[i].line, cases[i].col);
		assert_non_null(strstr(f->err.message, "not valid TOML"));
		assert_int_equal(f->cfg.ndocuments, 0);
	}
}

static void test_toml_depth_limit(void **state)
{
	fx *f = *state;
	size_t len;
	char *deep = nest(10000, "[", "1", "]", &len);
	char *src = malloc(len + 5);
	memcpy(src, "a = ", 4);
	memcpy(src + 4, deep, len);
	assert_int_equal(read_n(f, TOML, src, len + 4), PL_CONFIG_LIMIT);
	assert_int_equal(f->err.line, 1);
	free(src);
	free(deep);

	deep = nest(10000, "{a = ", "1", "}", &len);
	src = malloc(len + 5);
	memcpy(src, "x = ", 4);
	memcpy(src + 4, deep, len);
	assert_int_equal(read_n(f, TOML, src, len + 4), PL_CONFIG_LIMIT);
	free(src);
	free(deep);

	/* 10,000 dotted segments, as a key and as a table header. */
	deep = nest(10000, "k.", "k", "", &len);
	src = malloc(len + 8);
	memcpy(src, deep, len);
	memcpy(src + len, " = 1\n", 5);
	assert_int_equal(read_n(f, TOML, src, len + 5), PL_CONFIG_LIMIT);
	free(src);
	src = malloc(len + 4);
	src[0] = '[';
	memcpy(src + 1, deep, len);
	memcpy(src + 1 + len, "]\n", 2);
	assert_int_equal(read_n(f, TOML, src, len + 3), PL_CONFIG_LIMIT);
	free(src);
	free(deep);

	/* Within the limit: fine. */
	deep = nest(100, "[", "1", "]", &len);
	src = malloc(len + 5);
	memcpy(src, "a = ", 4);
	memcpy(src + 4, deep, len);
	assert_int_equal(read_n(f, TOML, src, len + 4), PL_CONFIG_OK);
	free(src);
	free(deep);
}

static void test_toml_bytes(void **state)
{
	fx *f = *state;
	static const char nul[] = "a = \"x\0y\"\nb = 1\n";
	pl_config_status st = read_n(f, TOML, nul, sizeof(nul) - 1);
	assert_true(st == PL_CONFIG_OK || st == PL_CONFIG_INVALID);
	/* TOML must be UTF-8; the grammar rejects other bytes in a string. */
	assert_int_equal(read_s(f, TOML, "a = \"\xff\xfe\"\n"), PL_CONFIG_INVALID);
	assert_int_equal(f->err.line, 1);
	/* ...nor in a comment. */
	assert_int_equal(read_s(f, TOML, "# \xff\xfe\na = 1\n"), PL_CONFIG_INVALID);
	assert_int_equal(f->err.col, 3);
	assert_int_equal(read_n(f, TOML, "a = 1 # and more", 5), PL_CONFIG_OK);
}

/* --- Dockerfile -------------------------------------------------------------------- */

static const char multistage[] =
	"# syntax=docker/dockerfile:1.7\n"                         /* 1 */
	"ARG BASE=python:3.12-slim\n"                              /* 2 */
	"FROM --platform=$BUILDPLATFORM ${BASE} AS builder\n"      /* 3 */
	"WORKDIR /src\n"                                           /* 4 */
	"USER root\n"                                              /* 5 */
	"RUN pip install -r requirements.txt\n"                    /* 6 */
	"\n"                                                       /* 7 */
	"from gcr.io/distroless/python3:nonroot as Runtime\n"      /* 8 */
	"COPY --from=builder /src /app\n"                          /* 9 */
	"USER nonroot\n"                                           /* 10 */
	"USER 65532\n"                                             /* 11 */
	"\n"                                                       /* 12 */
	"FROM runtime\n"                                           /* 13 */
	"CMD [\"python\", \"/app/main.py\"]\n";                    /* 14 */

static void test_df_multistage(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER, multistage);
	assert_scalar(at(d, "directives.syntax"), PL_SCALAR_STRING, "docker/dockerfile:1.7");

	const pl_node *all = at(d, "instructions");
	assert_int_equal(all->nitems, 11);
	assert_scalar(at(d, "instructions.0.instruction"), PL_SCALAR_STRING, "ARG");
	assert_false(has(d, "instructions.0.stage")); /* before the first FROM */
	assert_scalar(at(d, "instructions.4.instruction"), PL_SCALAR_STRING, "RUN");
	assert_scalar(at(d, "instructions.4.value"), PL_SCALAR_STRING, "pip install -r requirements.txt");
	assert_span(at(d, "instructions.4"), 6, 1, 6, 36);
	assert_span(at(d, "instructions.4.value"), 6, 5, 6, 36);
	assert_span(at(d, "instructions.4.instruction"), 6, 1, 6, 4);
	assert_scalar(at(d, "instructions.5.instruction"), PL_SCALAR_STRING, "FROM"); /* upper-cased */
	assert_int_equal(at(d, "instructions.5.stage")->type, PL_SCALAR_INT);
	assert_true(at(d, "instructions.5.stage")->number == 1);

	const pl_node *stages = at(d, "stages");
	assert_int_equal(stages->nitems, 3);
	const pl_node *s0 = at(d, "stages.0"), *s1 = at(d, "stages.1"), *s2 = at(d, "stages.2");
	assert_at(s0, 3, 1);
	assert_at(s1, 8, 1);
	assert_at(s2, 13, 1);
	assert_span(s0, 3, 1, 6, 36);

	assert_scalar(at(s0, "from.ref"), PL_SCALAR_STRING, "${BASE}");
	assert_scalar(at(s0, "from.image"), PL_SCALAR_STRING, "${BASE}");
	assert_false(has(s0, "from.tag"));
	assert_scalar(at(s0, "from.name"), PL_SCALAR_STRING, "builder");
	assert_span(at(s0, "from.name"), 3, 43, 3, 50);
	assert_scalar(at(s0, "from.platform"), PL_SCALAR_STRING, "$BUILDPLATFORM");
	assert_at(at(s0, "from.platform"), 3, 17);
	assert_at(at(s0, "from"), 3, 32);

	assert_scalar(at(s1, "from.image"), PL_SCALAR_STRING, "gcr.io/distroless/python3");
	assert_scalar(at(s1, "from.tag"), PL_SCALAR_STRING, "nonroot");
	assert_at(at(s1, "from.tag"), 8, 32);
	assert_scalar(at(s1, "from.registry"), PL_SCALAR_STRING, "gcr.io");
	assert_scalar(at(s1, "from.name"), PL_SCALAR_STRING, "Runtime");
	assert_false(has(s1, "from.stage_ref"));

	/* FROM <earlier stage>: matched case-insensitively. */
	assert_scalar(at(s2, "from.stage_ref"), PL_SCALAR_STRING, "runtime");
	assert_scalar(at(s2, "from.image"), PL_SCALAR_STRING, "runtime");
	assert_false(has(s2, "from.name"));

	/* Stage instruction lists share the nodes of the top-level list. */
	assert_int_equal(at(s0, "instructions")->nitems, 4);
	assert_ptr_equal(at(s0, "instructions.0"), at(d, "instructions.1"));
	assert_ptr_equal(at(s1, "instructions.1"), at(d, "instructions.6"));
	assert_ptr_equal(at(s2, "instructions.1"), at(d, "instructions.10"));
	assert_ptr_equal(at(d, "final"), s2);
	assert_key_at(d, "final", 13, 1);

	/* USER: the last one of each stage, the same node as that instruction's value. */
	assert_scalar(at(s0, "user"), PL_SCALAR_STRING, "root");
	assert_span(at(s0, "user"), 5, 6, 5, 10);
	assert_key_at(s0, "user", 5, 1);
	assert_scalar(at(s1, "user"), PL_SCALAR_STRING, "65532");
	assert_ptr_equal(at(s1, "user"), at(d, "instructions.8.value"));
	assert_false(has(s2, "user"));
	assert_false(has(d, "final.user"));
}

static void test_df_continuations(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER,
				  "FROM alpine\n"
				  "RUN apk add --no-cache \\\n"
				  "      curl \\\n"
				  "    # a comment inside\n"
				  "\n"
				  "      jq   \\\n"
				  "  && echo done\n"
				  "RUN echo no\\\n"
				  "space\n"
				  "RUN echo a\\\\\n"
				  "ENV A=1 \\\t \n"
				  "    B=2\n"
				  "RUN echo end \\\n");
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING,
		      "apk add --no-cache curl jq && echo done");
	assert_span(at(d, "instructions.1"), 2, 1, 7, 15);
	assert_span(at(d, "instructions.1.value"), 2, 5, 7, 15);
	/* No blank at the join: joined directly, as Docker does. */
	assert_scalar(at(d, "instructions.2.value"), PL_SCALAR_STRING, "echo nospace");
	/* An escaped escape at the end is no continuation. */
	assert_scalar(at(d, "instructions.3.value"), PL_SCALAR_STRING, "echo a\\\\");
	assert_span(at(d, "instructions.3"), 10, 1, 10, 13);
	/* Blanks after the escape still continue the line. */
	assert_scalar(at(d, "instructions.4.value"), PL_SCALAR_STRING, "A=1 B=2");
	assert_at(at(d, "instructions.4"), 11, 1);
	/* A continuation at the end of the file ends the instruction. */
	assert_scalar(at(d, "instructions.5.value"), PL_SCALAR_STRING, "echo end");
	assert_int_equal(at(d, "instructions")->nitems, 6);
}

static void test_df_escape_directive(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER,
				  "# escape=`\n"
				  "#  syntax = docker/dockerfile:1\n"
				  "FROM mcr.microsoft.com/windows/servercore:ltsc2022\r\n"
				  "RUN powershell -Command `\r\n"
				  "    Write-Host C:\\path\\ ; `\r\n"
				  "    dir\r\n"
				  "RUN echo C:\\\r\n");
	assert_scalar(at(d, "directives.escape"), PL_SCALAR_STRING, "`");
	assert_scalar(at(d, "directives.syntax"), PL_SCALAR_STRING, "docker/dockerfile:1");
	assert_key_at(at(d, "directives"), "syntax", 2, 4);
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING,
		      "powershell -Command Write-Host C:\\path\\ ; dir");
	assert_span(at(d, "instructions.1"), 4, 1, 6, 8);
	/* With ` as escape, a trailing backslash is text. */
	assert_scalar(at(d, "instructions.2.value"), PL_SCALAR_STRING, "echo C:\\");
	assert_scalar(at(d, "stages.0.from.tag"), PL_SCALAR_STRING, "ltsc2022");

	/* Directives end at the first other line: later ones are comments. */
	d = doc_of(f, DOCKER, "\n# escape=`\nFROM a\nRUN x \\\n y\n");
	assert_false(has(d, "directives"));
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING, "x y");
	d = doc_of(f, DOCKER, "# unknown=1\n# escape=`\nFROM a\n");
	assert_false(has(d, "directives"));

	assert_int_equal(read_s(f, DOCKER, "# escape=x\nFROM a\n"), PL_CONFIG_INVALID);
	assert_error(f, 1, 10, "escape");
	assert_int_equal(read_s(f, DOCKER, "# syntax=a\n# Syntax=b\nFROM a\n"), PL_CONFIG_INVALID);
	assert_error(f, 2, 3, "only one syntax");
}

static void test_df_heredoc(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER,
				  "FROM debian\n"                               /* 1 */
				  "RUN <<EOF\n"                                 /* 2 */
				  "apt-get update\n"                            /* 3 */
				  "# not a comment here\n"                      /* 4 */
				  "EOF\n"                                       /* 5 */
				  "RUN <<-\"EOT\" bash && <<'X' cat > /x\n"     /* 6 */
				  "\techo $HOME\n"                              /* 7 */
				  "\tEOT\n"                                     /* 8 */
				  "body of x\n"                                 /* 9 */
				  "X\n"                                         /* 10 */
				  "COPY <<EOF /etc/app.conf\n"                  /* 11 */
				  "key=value\n"                                 /* 12 */
				  "EOF\n"                                       /* 13 */
				  "RUN [\"sh\", \"-c\", \"cat <<EOF\"]\n"       /* 14 */
				  "USER app\n"                                  /* 15 */
				  "CMD cat <<EOF\n");                           /* 16 */
	const pl_node *all = at(d, "instructions");
	assert_int_equal(all->nitems, 7);
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING,
		      "<<EOF\napt-get update\n# not a comment here\nEOF");
	assert_span(at(d, "instructions.1"), 2, 1, 5, 4);
	assert_span(at(d, "instructions.1.value"), 2, 5, 5, 4);
	/* Two heredocs, read one after the other; <<- compares without leading tabs. */
	assert_scalar(at(d, "instructions.2.value"), PL_SCALAR_STRING,
		      "<<-\"EOT\" bash && <<'X' cat > /x\n\techo $HOME\n\tEOT\nbody of x\nX");
	assert_span(at(d, "instructions.2"), 6, 1, 10, 2);
	assert_scalar(at(d, "instructions.3.value"), PL_SCALAR_STRING,
		      "<<EOF /etc/app.conf\nkey=value\nEOF");
	/* The exec form takes no heredoc; CMD none at all. */
	assert_span(at(d, "instructions.4"), 14, 1, 14, 30);
	assert_scalar(at(d, "instructions.5.instruction"), PL_SCALAR_STRING, "USER");
	assert_at(at(d, "instructions.5"), 15, 1);
	assert_scalar(at(d, "instructions.6.value"), PL_SCALAR_STRING, "cat <<EOF");

	assert_int_equal(read_s(f, DOCKER, "FROM a\nRUN echo hi && <<EOF cat\nline\n"), PL_CONFIG_INVALID);
	assert_error(f, 2, 16, "unterminated heredoc");
}

static void test_df_exec_form(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER,
				  "FROM a\n"
				  "CMD [\"python\", \"-m\", \"app\"]\n"
				  "ENTRYPOINT /bin/sh -c 'run'\n"
				  "RUN [ \"echo\" , \"\\u00e9\\\"\\\\\" ] ignored\n"
				  "SHELL [\"pwsh\", \"-c\"]\n"
				  "CMD [\"bad\", 1]\n"
				  "CMD []\n"
				  "HEALTHCHECK --interval=30s CMD [\"curl\", \"-f\", \"http://localhost/\"]\n"
				  "HEALTHCHECK NONE\n"
				  "COPY [\"a b\", \"/dst/\"]\n");
	assert_scalar(at(d, "instructions.1.form"), PL_SCALAR_STRING, "exec");
	assert_int_equal(at(d, "instructions.1.args")->nitems, 3);
	assert_scalar(at(d, "instructions.1.args.0"), PL_SCALAR_STRING, "python");
	assert_span(at(d, "instructions.1.args.0"), 2, 6, 2, 14);
	assert_scalar(at(d, "instructions.1.args.2"), PL_SCALAR_STRING, "app");
	assert_scalar(at(d, "instructions.2.form"), PL_SCALAR_STRING, "shell");
	assert_false(has(d, "instructions.2.args"));
	assert_scalar(at(d, "instructions.3.form"), PL_SCALAR_STRING, "exec");
	assert_scalar(at(d, "instructions.3.args.1"), PL_SCALAR_STRING, "\xc3\xa9\"\\");
	assert_scalar(at(d, "instructions.4.args.0"), PL_SCALAR_STRING, "pwsh");
	assert_scalar(at(d, "instructions.5.form"), PL_SCALAR_STRING, "shell"); /* not all strings */
	assert_scalar(at(d, "instructions.6.form"), PL_SCALAR_STRING, "exec");
	assert_int_equal(at(d, "instructions.6.args")->nitems, 0);
	assert_scalar(at(d, "instructions.7.form"), PL_SCALAR_STRING, "exec");
	assert_scalar(at(d, "instructions.7.args.2"), PL_SCALAR_STRING, "http://localhost/");
	assert_scalar(at(d, "instructions.7.flags.interval"), PL_SCALAR_STRING, "30s");
	assert_false(has(d, "instructions.8.form"));
	assert_scalar(at(d, "instructions.9.args.0"), PL_SCALAR_STRING, "a b");
	assert_false(has(d, "instructions.0.form")); /* FROM has no form */
}

static void test_df_flags(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER,
				  "FROM --platform=linux/amd64 alpine:3.20\n"
				  "RUN --mount=type=cache,target=/root/.cache --mount=type=secret,id=tok \\\n"
				  "    --network=none pip install x\n"
				  "COPY --link --chown=\"app:app\" --from=builder /a /b\n"
				  "RUN -- --not-a-flag\n");
	assert_scalar(at(d, "stages.0.from.platform"), PL_SCALAR_STRING, "linux/amd64");
	assert_at(at(d, "stages.0.from.platform"), 1, 17);
	assert_scalar(at(d, "instructions.0.flags.platform"), PL_SCALAR_STRING, "linux/amd64");

	const pl_node *fl = at(d, "instructions.1.flags");
	assert_int_equal(fl->npairs, 3); /* repeated flags stay repeated, in order */
	assert_string_equal(fl->pairs[0].key, "mount");
	assert_string_equal(fl->pairs[0].value->text, "type=cache,target=/root/.cache");
	assert_string_equal(fl->pairs[1].key, "mount");
	assert_string_equal(fl->pairs[1].value->text, "type=secret,id=tok");
	assert_scalar(at(fl, "network"), PL_SCALAR_STRING, "none");
	assert_key_at(fl, "network", 3, 5);
	assert_at(at(fl, "network"), 3, 15);
	/* value holds the flags too, joined across the continuation */
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING,
		      "--mount=type=cache,target=/root/.cache --mount=type=secret,id=tok "
		      "--network=none pip install x");
	assert_at(at(d, "instructions.1.form"), 3, 20);

	fl = at(d, "instructions.2.flags");
	assert_scalar(at(fl, "link"), PL_SCALAR_BOOL, "true");
	assert_true(at(fl, "link")->boolean);
	assert_scalar(at(fl, "chown"), PL_SCALAR_STRING, "app:app"); /* quotes removed */
	assert_scalar(at(fl, "from"), PL_SCALAR_STRING, "builder");

	assert_false(has(d, "instructions.3.flags")); /* `--` ends the flags */
}

static void test_df_image_refs(void **state)
{
	fx *f = *state;
	static const struct {
		const char *ref;
		const char *image, *tag, *digest, *registry; /* NULL: absent */
	} cases[] = {
		{ "python", "python", NULL, NULL, NULL },
		{ "python:3.12-slim", "python", "3.12-slim", NULL, NULL },
		{ "python:3.12-slim@sha256:abc123", "python", "3.12-slim", "sha256:abc123", NULL },
		{ "python@sha256:abc123", "python", NULL, "sha256:abc123", NULL },
		{ "scratch", "scratch", NULL, NULL, NULL },
		{ "library/ubuntu:22.04", "library/ubuntu", "22.04", NULL, NULL },
		{ "docker.io/library/ubuntu:latest", "docker.io/library/ubuntu", "latest", NULL, "docker.io" },
		{ "localhost:5000/app:1.2", "localhost:5000/app", "1.2", NULL, "localhost:5000" },
		{ "localhost:5000/app", "localhost:5000/app", NULL, NULL, "localhost:5000" },
		{ "localhost/app", "localhost/app", NULL, NULL, "localhost" },
		{ "registry.example.com:443/team/app@sha256:ff", "registry.example.com:443/team/app", NULL,
		  "sha256:ff", "registry.example.com:443" },
		{ "ghcr.io/org/app:v1.0.0", "ghcr.io/org/app", "v1.0.0", NULL, "ghcr.io" },
		{ "[::1]:5000/app:dev", "[::1]:5000/app", "dev", NULL, "[::1]:5000" },
		{ "${BASE_IMAGE}", "${BASE_IMAGE}", NULL, NULL, NULL },
		{ "python:${PY_VERSION}-slim", "python:${PY_VERSION}-slim", NULL, NULL, NULL },
		{ "$REGISTRY/app:1", "$REGISTRY/app:1", NULL, NULL, NULL },
		{ "org/app:1.0", "org/app", "1.0", NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char src[256];
		snprintf(src, sizeof(src), "FROM  %s  AS  s\n", cases[i].ref);
		const pl_node *from = at(doc_of(f, DOCKER, src), "final.from");
		const char *want[] = { cases[i].image, cases[i].tag, cases[i].digest, cases[i].registry };
		const char *keys[] = { "image", "tag", "digest", "registry" };
		assert_string_equal(pl_node_get_text(from, "ref"), cases[i].ref);
		assert_at(at(from, "ref"), 1, 7);
		for (size_t k = 0; k < 4; k++) {
			const char *got = pl_node_get_text(from, keys[k]);
			if ((got == NULL) != (want[k] == NULL) || (got && strcmp(got, want[k]) != 0))
				fail_msg("%s: %s is \"%s\", expected \"%s\"", cases[i].ref, keys[k],
					 got ? got : "(absent)", want[k] ? want[k] : "(absent)");
		}
		assert_string_equal(pl_node_get_text(from, "name"), "s");
		if (cases[i].tag) {
			const char *t = strstr(cases[i].ref, cases[i].tag);
			assert_at(at(from, "tag"), 1, 7 + (unsigned)(t - cases[i].ref));
		}
	}
}

static void test_df_empty_and_no_from(void **state)
{
	fx *f = *state;
	const pl_node *d = doc_of(f, DOCKER, "");
	assert_int_equal(at(d, "instructions")->nitems, 0);
	assert_int_equal(at(d, "stages")->nitems, 0);
	assert_false(has(d, "final"));

	d = doc_of(f, DOCKER, "# just a comment\n\n   \n");
	assert_int_equal(at(d, "stages")->nitems, 0);

	d = doc_of(f, DOCKER, "ARG X=1\nRUN echo $X\nUSER root\n");
	assert_int_equal(at(d, "instructions")->nitems, 3);
	assert_int_equal(at(d, "stages")->nitems, 0);
	assert_false(has(d, "final"));
	assert_false(has(d, "instructions.2.stage"));
}

static void test_df_lines_and_bytes(void **state)
{
	fx *f = *state;
	/* BOM (columns count bytes), CRLF, indented and lower-case keywords, unknown ones. */
	const pl_node *d = doc_of(f, DOCKER, "\xEF\xBB\xBF" "from alpine\r\n  run  echo hi  \r\nBOGUS x\r\n");
	assert_scalar(at(d, "instructions.0.instruction"), PL_SCALAR_STRING, "FROM");
	assert_at(at(d, "instructions.0"), 1, 4);
	assert_scalar(at(d, "instructions.1.instruction"), PL_SCALAR_STRING, "RUN");
	assert_at(at(d, "instructions.1"), 2, 3);
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING, "echo hi");
	assert_span(at(d, "instructions.1.value"), 2, 8, 2, 15);
	assert_span(at(d, "instructions.1"), 2, 3, 2, 17);
	assert_scalar(at(d, "instructions.2.instruction"), PL_SCALAR_STRING, "BOGUS");

	/* A keyword alone: empty value right after it. */
	d = doc_of(f, DOCKER, "FROM a\nUSER\n");
	assert_scalar(at(d, "instructions.1.value"), PL_SCALAR_STRING, "");
	assert_at(at(d, "instructions.1.value"), 2, 5);
	assert_scalar(at(d, "final.user"), PL_SCALAR_STRING, "");

	/* NUL bytes and invalid UTF-8 are copied through. */
	static const char nul[] = "FROM a\nRUN echo \0\xff x\nUSER r\0t\n";
	assert_int_equal(read_n(f, DOCKER, nul, sizeof(nul) - 1), PL_CONFIG_OK);
	d = f->cfg.documents[0];
	assert_int_equal(at(d, "instructions.1.value")->text_len, 9);
	assert_memory_equal(at(d, "instructions.1.value")->text, "echo \0\xff x", 9);
	assert_int_equal(at(d, "final.user")->text_len, 3);

	/* `len` bounds the read. */
	assert_int_equal(read_n(f, DOCKER, "FROM a\nUSER root", 14), PL_CONFIG_OK);
	assert_scalar(at(f->cfg.documents[0], "final.user"), PL_SCALAR_STRING, "ro");
	assert_int_equal(read_n(f, DOCKER, "RUN x \\", 7), PL_CONFIG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_types_and_positions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_empty_and_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_scalars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_array_of_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_inline_and_arrays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_redefinition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toml_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_multistage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_continuations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_escape_directive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_heredoc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_exec_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_image_refs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_empty_and_no_from, setup, teardown),
		cmocka_unit_test_setup_teardown(test_df_lines_and_bytes, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
