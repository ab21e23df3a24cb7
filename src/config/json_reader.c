/*
 * JSON to the tree model, through tree-sitter's JSON grammar. A file holds
 * one document: its top-level value. Strings are decoded fully (all escapes,
 * surrogate pairs; a lone surrogate becomes U+FFFD), numbers are INT when
 * the literal is integral and FLOAT otherwise.
 *
 * The grammar also accepts line and block comments (tsconfig.json and
 * friends carry them); they are skipped rather than rejected. Anything else
 * tree-sitter flags as an error makes the file INVALID at the first ERROR
 * or MISSING node.
 *
 * Children are walked with tree cursors, never ts_node_child(n, i) in a loop
 * (that costs O(i) per call), and recursion stops at PL_CONFIG_MAX_DEPTH, so
 * neither a wide array nor a deep one can blow up time or stack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/reader.h"
#include "config/ts_tree.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const TSLanguage *tree_sitter_json(void);

typedef struct json_reader {
	pl_config *cfg;
	const char *text;        /* the caller's bytes, for node text */
	size_t len;
	pl_config_error *err;
	pl_config_status status;
} json_reader;

static void fail_at(json_reader *r, TSPoint p, pl_config_status st, const char *msg)
{
	if (r->status != PL_CONFIG_OK)
		return;
	r->status = st;
	r->err->line = p.row + 1;
	r->err->col = p.column + 1;
	snprintf(r->err->message, sizeof(r->err->message), "%s", msg);
}

static bool is(TSNode n, const char *type)
{
	return strcmp(ts_node_type(n), type) == 0;
}


/* --- strings --------------------------------------------------------------- */


/* Four hex digits at s[0..3] (bounds checked by the caller), or -1. */
static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char h = s[i];
		int d = (h >= '0' && h <= '9') ? h - '0'
			: (h >= 'a' && h <= 'f') ? h - 'a' + 10
			: (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Decode the text between the quotes. The grammar only checks that an escape
 * starts with a valid letter (`\u` is lexed without its digits), so the
 * digits are validated here; a malformed \u is kept literally rather than
 * guessed at. Other bytes, including invalid UTF-8, are copied through.
 */
static void decode_string(pl_strbuf *sb, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c != '\\' || i + 1 >= n) {
			pl_strbuf_addch(sb, c);
			i++;
			continue;
		}
		char e = s[i + 1];
		i += 2;
		switch (e) {
		case '"': pl_strbuf_addch(sb, '"'); break;
		case '\\': pl_strbuf_addch(sb, '\\'); break;
		case '/': pl_strbuf_addch(sb, '/'); break;
		case 'b': pl_strbuf_addch(sb, '\b'); break;
		case 'f': pl_strbuf_addch(sb, '\f'); break;
		case 'n': pl_strbuf_addch(sb, '\n'); break;
		case 'r': pl_strbuf_addch(sb, '\r'); break;
		case 't': pl_strbuf_addch(sb, '\t'); break;
		case 'u': {
			long cp = i + 4 <= n ? hex4(s + i) : -1;
			if (cp < 0) {
				pl_strbuf_add(sb, "\\u", 2);
				break;
			}
			i += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && s[i] == '\\' && s[i + 1] == 'u') {
				long lo = hex4(s + i + 2);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			pl_utf8_encode(sb, (unsigned long)cp); /* a lone surrogate becomes U+FFFD */
			break;
		}
		default:
			pl_strbuf_addch(sb, '\\');
			pl_strbuf_addch(sb, e);
			break;
		}
	}
}

/* The decoded content of a `string` node, copied into the arena. */
static const char *string_text(json_reader *r, TSNode n, size_t *out_len)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	pl_strbuf sb = PL_STRBUF_INIT;
	if (e - s >= 2)
		decode_string(&sb, r->text + s + 1, e - s - 2);
	char *copy = pl_arena_strndup(&r->cfg->arena, sb.buf, sb.len);
	*out_len = sb.len;
	pl_strbuf_release(&sb);
	return copy;
}

/* --- values ---------------------------------------------------------------- */

static pl_node *convert(json_reader *r, TSNode n, unsigned depth);

static pl_node *scalar(json_reader *r, TSNode n, pl_scalar_type type)
{
	pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
	pl_node_position(out, n);
	out->type = type;
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	out->text = pl_arena_strndup(&r->cfg->arena, r->text + s, e - s);
	out->text_len = e - s;
	return out;
}

static pl_node *number(json_reader *r, TSNode n)
{
	pl_node *out = scalar(r, n, PL_SCALAR_INT);
	/* The grammar's number token has no '+' exponents (see prepare_input), so
	 * "integral" means: no fraction and no exponent. */
	if (memchr(out->text, '.', out->text_len) || memchr(out->text, 'e', out->text_len) ||
	    memchr(out->text, 'E', out->text_len))
		out->type = PL_SCALAR_FLOAT;
	out->number = strtod(out->text, NULL);
	return out;
}

static bool too_deep(json_reader *r, TSNode n, unsigned depth)
{
	if (depth <= PL_CONFIG_MAX_DEPTH)
		return false;
	char msg[96];
	snprintf(msg, sizeof(msg), "JSON nesting is deeper than %d levels", PL_CONFIG_MAX_DEPTH);
	fail_at(r, ts_node_start_point(n), PL_CONFIG_LIMIT, msg);
	return true;
}

static void add_member(json_reader *r, pl_node *map, TSNode pair, unsigned depth)
{
	TSNode key = ts_node_child_by_field_name(pair, "key", 3);
	TSNode value = ts_node_child_by_field_name(pair, "value", 5);
	if (ts_node_is_null(key) || ts_node_is_null(value))
		return; /* cannot happen in an error-free tree */
	size_t klen;
	const char *k = string_text(r, key, &klen);
	pl_node *v = convert(r, value, depth);
	if (!v)
		return;
	TSPoint kp = ts_node_start_point(key);
	pl_node_add_pair(r->cfg, map, k, klen, kp.row + 1, kp.column + 1, v);
}

/* An object or array: `depth` is its own nesting level (the top value is 1). */
static pl_node *container(json_reader *r, TSNode n, bool object, unsigned depth)
{
	if (too_deep(r, n, depth))
		return NULL;
	pl_node *out = pl_node_new(r->cfg, object ? PL_NODE_MAPPING : PL_NODE_SEQUENCE);
	pl_node_position(out, n);
	TSTreeCursor cur = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (!ts_node_is_named(c) || is(c, "comment"))
				continue; /* brackets, commas, comments */
			if (object) {
				if (is(c, "pair"))
					add_member(r, out, c, depth + 1);
			} else {
				pl_node *item = convert(r, c, depth + 1);
				if (item)
					pl_node_add_item(r->cfg, out, item);
			}
		} while (r->status == PL_CONFIG_OK && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return r->status == PL_CONFIG_OK ? out : NULL;
}

static pl_node *convert(json_reader *r, TSNode n, unsigned depth)
{
	if (r->status != PL_CONFIG_OK)
		return NULL;
	const char *type = ts_node_type(n);
	if (strcmp(type, "object") == 0)
		return container(r, n, true, depth);
	if (strcmp(type, "array") == 0)
		return container(r, n, false, depth);
	if (strcmp(type, "string") == 0) {
		pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
		pl_node_position(out, n);
		out->type = PL_SCALAR_STRING;
		out->text = string_text(r, n, &out->text_len);
		return out;
	}
	if (strcmp(type, "number") == 0)
		return number(r, n);
	if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0) {
		pl_node *out = scalar(r, n, PL_SCALAR_BOOL);
		out->boolean = type[0] == 't';
		return out;
	}
	if (strcmp(type, "null") == 0)
		return scalar(r, n, PL_SCALAR_NULL);
	fail_at(r, ts_node_start_point(n), PL_CONFIG_INVALID, "not valid JSON");
	return NULL;
}

/* --- errors and input ------------------------------------------------------ */


static void syntax_error(json_reader *r, TSNode root)
{
	TSNode e = pl_ts_first_error(root);
	char msg[160];
	if (ts_node_is_missing(e))
		snprintf(msg, sizeof(msg), ts_node_is_named(e) ? "not valid JSON: missing %s"
							 : "not valid JSON: missing \"%s\"",
			 ts_node_type(e));
	else
		snprintf(msg, sizeof(msg), "not valid JSON");
	fail_at(r, ts_node_start_point(e), PL_CONFIG_INVALID, msg);
}

/*
 * tree-sitter-json's number token forgets that an exponent may carry a '+'
 * (`1e+5` is valid JSON but lexes as an error). Outside strings and comments
 * a `<digit or .>[eE]+<digit>` can only be such an exponent, so a copy with
 * that '+' turned into '0' parses the same value at the same byte offsets.
 * Returns NULL when the text needs no change (the common case).
 */
static char *prepare_input(const char *text, size_t len)
{
	char *copy = NULL;
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		if (c == '"') {
			for (i++; i < len && text[i] != '"' && text[i] != '\n'; i++)
				if (text[i] == '\\')
					i++;
			i++;
		} else if (c == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(text[i] == '*' && text[i + 1] == '/'); i++)
				;
			i += 2;
		} else if (c == '+' && i >= 2 && i + 1 < len && (text[i - 1] == 'e' || text[i - 1] == 'E') &&
			   ((text[i - 2] >= '0' && text[i - 2] <= '9') || text[i - 2] == '.') &&
			   text[i + 1] >= '0' && text[i + 1] <= '9') {
			if (!copy) {
				copy = pl_xmalloc(len);
				memcpy(copy, text, len);
			}
			copy[i++] = '0';
		} else {
			i++;
		}
	}
	return copy;
}

pl_config_status pl_config_read_json(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err)
{
	memset(err, 0, sizeof(*err));
	if (!text)
		text = "", len = 0;
	if (len > UINT32_MAX) {
		snprintf(err->message, sizeof(err->message), "file too large to parse");
		return PL_CONFIG_LIMIT;
	}
	if (!ts_parser_set_language(parser, tree_sitter_json())) {
		snprintf(err->message, sizeof(err->message), "cannot load the JSON grammar");
		return PL_CONFIG_INVALID;
	}
	char *patched = prepare_input(text, len);
	TSTree *tree = ts_parser_parse_string(parser, NULL, patched ? patched : text, (uint32_t)len);
	free(patched); /* the tree keeps no pointer to the input */
	if (!tree) {
		snprintf(err->message, sizeof(err->message), "the JSON parser gave up");
		return PL_CONFIG_LIMIT;
	}
	/* Node text is read from the original bytes: a patched '+' shows as written. */
	json_reader r = { .cfg = cfg, .text = text, .len = len, .err = err, .status = PL_CONFIG_OK };
	TSNode root = ts_tree_root_node(tree);
	if (ts_node_has_error(root))
		syntax_error(&r, root);

	pl_node *doc = NULL;
	TSTreeCursor cur = ts_tree_cursor_new(root);
	if (r.status == PL_CONFIG_OK && ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (!ts_node_is_named(c) || is(c, "comment"))
				continue;
			if (doc) {
				/* The grammar takes a stream of values; JSON allows one. */
				fail_at(&r, ts_node_start_point(c), PL_CONFIG_INVALID,
					"not valid JSON: more than one top-level value");
				break;
			}
			doc = convert(&r, c, 1);
		} while (r.status == PL_CONFIG_OK && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	ts_tree_delete(tree);
	/* An empty file (or one with only comments) has no document, as an empty YAML stream. */
	if (r.status == PL_CONFIG_OK && doc)
		pl_config_add_document(cfg, doc);
	return r.status;
}
