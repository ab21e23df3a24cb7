/*
 * TOML to the tree model, through tree-sitter's TOML grammar. A file is one
 * document: a root mapping. `[a.b]` headers and dotted keys (`a.b.c = 1`)
 * create or extend nested mappings, `[[x]]` appends a fresh mapping to the
 * sequence x, and a header or dotted key that passes through an array of
 * tables continues in its last element, as TOML specifies.
 *
 * Scalars: strings of all four kinds are decoded (escapes, line-ending
 * backslashes, the newline right after an opening `"""` / `'''`); integers
 * (underscores, 0x/0o/0b) are INT, floats (inf, nan) FLOAT, booleans BOOL,
 * and dates/times are STRING with their source text. Numbers keep their
 * source text (`1_000`); `number` holds the value.
 *
 * Redefinitions TOML forbids (a key twice, `[a]` twice, a table over a
 * scalar) are not diagnosed: a plain key is appended and the last pair wins
 * on lookup (pl_node_get), and a path through a non-table starts a new
 * mapping. Only a syntax error in the tree makes a file INVALID.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/reader.h"
#include "config/ts_tree.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const TSLanguage *tree_sitter_toml(void);

typedef struct toml_reader {
	pl_config *cfg;
	const char *text;
	size_t len;
	pl_config_error *err;
	pl_config_status status;
} toml_reader;

/* One decoded segment of a (possibly dotted) key. */
typedef struct key_seg {
	const char *text;        /* arena copy */
	size_t len;
	TSPoint at;
} key_seg;

typedef struct key_path {
	key_seg *segs;           /* malloc'd */
	size_t n, cap;
} key_path;

static void fail_at(toml_reader *r, TSPoint p, pl_config_status st, const char *msg)
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

static bool is_key(TSNode n)
{
	return is(n, "bare_key") || is(n, "quoted_key") || is(n, "dotted_key");
}


static void position_at(pl_node *out, TSPoint s, TSPoint e)
{
	out->line = s.row + 1;
	out->col = s.column + 1;
	out->end_line = e.row + 1;
	out->end_col = e.column + 1;
}

/* Grow a mapping's range to cover `e`: tables gather content from all over the file. */
static void extend_to(pl_node *n, TSPoint e)
{
	unsigned line = e.row + 1, col = e.column + 1;
	if (line > n->end_line || (line == n->end_line && col > n->end_col)) {
		n->end_line = line;
		n->end_col = col;
	}
}

static bool too_deep(toml_reader *r, TSPoint at, unsigned depth)
{
	if (depth <= PL_CONFIG_MAX_DEPTH)
		return false;
	char msg[96];
	snprintf(msg, sizeof(msg), "TOML nesting is deeper than %d levels", PL_CONFIG_MAX_DEPTH);
	fail_at(r, at, PL_CONFIG_LIMIT, msg);
	return true;
}

/* --- strings ----------------------------------------------------------------- */


static int hexval(char h)
{
	return (h >= '0' && h <= '9') ? h - '0'
		: (h >= 'a' && h <= 'f') ? h - 'a' + 10
		: (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
}

/* Escapes of basic strings (TOML 1.0, plus 1.1's \e and \xHH). */
static void decode_basic(pl_strbuf *sb, const char *s, size_t n, bool multiline)
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
		if (multiline && (e == ' ' || e == '\t' || e == '\r' || e == '\n')) {
			/* A line-ending backslash eats all whitespace and newlines up to
			 * the next visible character; `\ ` mid-line is no such thing. */
			size_t j = i + 1;
			while (j < n && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < n && (s[j] == '\n' || s[j] == '\r')) {
				while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
					j++;
				i = j;
				continue;
			}
		}
		i += 2;
		unsigned digits = 0;
		switch (e) {
		case 'b': pl_strbuf_addch(sb, '\b'); break;
		case 't': pl_strbuf_addch(sb, '\t'); break;
		case 'n': pl_strbuf_addch(sb, '\n'); break;
		case 'f': pl_strbuf_addch(sb, '\f'); break;
		case 'r': pl_strbuf_addch(sb, '\r'); break;
		case 'e': pl_strbuf_addch(sb, '\x1b'); break;
		case '"': pl_strbuf_addch(sb, '"'); break;
		case '\\': pl_strbuf_addch(sb, '\\'); break;
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default:
			pl_strbuf_addch(sb, '\\');
			pl_strbuf_addch(sb, e);
			break;
		}
		if (!digits)
			continue;
		unsigned long cp = 0;
		unsigned k = 0;
		for (; k < digits && i + k < n && hexval(s[i + k]) >= 0; k++)
			cp = cp * 16 + (unsigned long)hexval(s[i + k]);
		if (k < digits) {
			/* Malformed: keep the text as written rather than guess. */
			pl_strbuf_addch(sb, '\\');
			pl_strbuf_addch(sb, e);
			continue;
		}
		i += digits;
		pl_utf8_encode(sb, cp);
	}
}

/* Decode a `string` or `quoted_key` node from its source text, quotes included. */
static const char *decode_string_node(toml_reader *r, TSNode n, size_t *out_len)
{
	uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
	const char *s = r->text + start;
	size_t len = end - start;
	size_t delim = 1;
	char q = len ? s[0] : '"';
	if (len >= 6 && (memcmp(s, "\"\"\"", 3) == 0 || memcmp(s, "'''", 3) == 0))
		delim = 3;
	const char *body = s + (len >= delim ? delim : len);
	size_t blen = len >= 2 * delim ? len - 2 * delim : 0;
	if (delim == 3) {
		/* A newline right after the opening delimiter is not part of the string. */
		if (blen >= 1 && body[0] == '\n')
			body++, blen--;
		else if (blen >= 2 && body[0] == '\r' && body[1] == '\n')
			body += 2, blen -= 2;
	}
	pl_strbuf sb = PL_STRBUF_INIT;
	if (q == '"')
		decode_basic(&sb, body, blen, delim == 3);
	else
		pl_strbuf_add(&sb, body, blen); /* literal strings have no escapes */
	const char *copy = pl_arena_strndup(&r->cfg->arena, sb.buf, sb.len);
	*out_len = sb.len;
	pl_strbuf_release(&sb);
	return copy;
}

/* --- keys ---------------------------------------------------------------------- */

static void path_push(toml_reader *r, key_path *p, TSNode seg)
{
	PL_GROW(p->segs, p->cap, p->n + 1);
	key_seg *k = &p->segs[p->n++];
	k->at = ts_node_start_point(seg);
	if (is(seg, "quoted_key")) {
		k->text = decode_string_node(r, seg, &k->len);
	} else {
		uint32_t s = ts_node_start_byte(seg), e = ts_node_end_byte(seg);
		k->text = pl_arena_strndup(&r->cfg->arena, r->text + s, e - s);
		k->len = e - s;
	}
}

/*
 * The segments of a key node in source order. dotted_key nests once per dot,
 * so a long key is a deep subtree: walk it with a cursor, not recursion.
 */
static void key_path_of(toml_reader *r, TSNode key, key_path *p)
{
	p->n = 0;
	if (!is(key, "dotted_key")) {
		path_push(r, p, key);
		return;
	}
	TSTreeCursor cur = ts_tree_cursor_new(key);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (is(n, "bare_key") || is(n, "quoted_key"))
			path_push(r, p, n);
		else if (is(n, "dotted_key") && ts_tree_cursor_goto_first_child(&cur))
			continue;
		bool moved = false;
		while (!(moved = ts_tree_cursor_goto_next_sibling(&cur)))
			if (!ts_tree_cursor_goto_parent(&cur))
				break;
		if (!moved)
			break;
	}
	ts_tree_cursor_delete(&cur);
}

/* The last pair of `map` with this key (later pairs override earlier ones). */
static pl_pair *find_pair(pl_node *map, const key_seg *k)
{
	for (size_t i = map->npairs; i-- > 0;)
		if (map->pairs[i].key_len == k->len && memcmp(map->pairs[i].key, k->text, k->len) == 0)
			return &map->pairs[i];
	return NULL;
}

/*
 * Step from `map` into the table named by `k`: an existing table, the last
 * table of an array of tables, or a new table positioned at the segment.
 * `depth` is updated to the level of the returned mapping.
 */
static pl_node *descend(toml_reader *r, pl_node *map, const key_seg *k, TSPoint end, unsigned *depth)
{
	pl_pair *p = find_pair(map, k);
	pl_node *v = p ? p->value : NULL;
	if (v && v->kind == PL_NODE_SEQUENCE && v->nitems > 0 &&
	    v->items[v->nitems - 1]->kind == PL_NODE_MAPPING) {
		*depth += 2;
		v = v->items[v->nitems - 1];
	} else if (v && v->kind == PL_NODE_MAPPING) {
		*depth += 1;
	} else {
		*depth += 1;
		v = pl_node_new(r->cfg, PL_NODE_MAPPING);
		position_at(v, k->at, end);
		pl_node_add_pair(r->cfg, map, k->text, k->len, k->at.row + 1, k->at.column + 1, v);
	}
	extend_to(v, end);
	return v;
}

/* --- values ---------------------------------------------------------------------- */

static pl_node *convert(toml_reader *r, TSNode n, unsigned depth);
static void assign(toml_reader *r, pl_node *table, unsigned depth, TSNode pair);

/* Source text without the `_` digit separators, NUL-terminated; caller frees. */
static char *strip_underscores(const char *s, size_t n)
{
	char *out = pl_xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != '_')
			out[k++] = s[i];
	out[k] = '\0';
	return out;
}

static double integer_value(const char *s, size_t n)
{
	char *clean = strip_underscores(s, n);
	const char *p = clean;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	double v;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o' || p[1] == 'b'))
		v = (double)strtoull(p + 2, NULL, p[1] == 'x' ? 16 : p[1] == 'o' ? 8 : 2);
	else
		v = strtod(p, NULL); /* no overflow trouble beyond 2^63 */
	free(clean);
	return neg ? -v : v;
}

static double float_value(const char *s, size_t n)
{
	char *clean = strip_underscores(s, n);
	const char *p = clean + ((clean[0] == '+' || clean[0] == '-') ? 1 : 0);
	double v = strcmp(p, "nan") == 0 ? NAN : strtod(p, NULL); /* strtod reads "inf" */
	bool neg = clean[0] == '-';
	free(clean);
	return neg ? -v : v;
}

static pl_node *scalar(toml_reader *r, TSNode n, const char *type)
{
	pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
	pl_node_position(out, n);
	if (strcmp(type, "string") == 0) {
		out->type = PL_SCALAR_STRING;
		out->text = decode_string_node(r, n, &out->text_len);
		return out;
	}
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	out->text = pl_arena_strndup(&r->cfg->arena, r->text + s, e - s);
	out->text_len = e - s;
	if (strcmp(type, "integer") == 0) {
		out->type = PL_SCALAR_INT;
		out->number = integer_value(out->text, out->text_len);
	} else if (strcmp(type, "float") == 0) {
		out->type = PL_SCALAR_FLOAT;
		out->number = float_value(out->text, out->text_len);
	} else if (strcmp(type, "boolean") == 0) {
		out->type = PL_SCALAR_BOOL;
		out->boolean = out->text_len == 4 && memcmp(out->text, "true", 4) == 0;
	} else {
		out->type = PL_SCALAR_STRING; /* offset_date_time, local_date, local_time, ... */
	}
	return out;
}

/* An array or inline table: `depth` is its own level (the root table is 1). */
static pl_node *container(toml_reader *r, TSNode n, bool table, unsigned depth)
{
	if (too_deep(r, ts_node_start_point(n), depth))
		return NULL;
	pl_node *out = pl_node_new(r->cfg, table ? PL_NODE_MAPPING : PL_NODE_SEQUENCE);
	pl_node_position(out, n);
	TSTreeCursor cur = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (!ts_node_is_named(c) || is(c, "comment"))
				continue;
			if (table) {
				if (is(c, "pair"))
					assign(r, out, depth, c);
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

static pl_node *convert(toml_reader *r, TSNode n, unsigned depth)
{
	if (r->status != PL_CONFIG_OK)
		return NULL;
	const char *type = ts_node_type(n);
	if (strcmp(type, "array") == 0)
		return container(r, n, false, depth);
	if (strcmp(type, "inline_table") == 0)
		return container(r, n, true, depth);
	return scalar(r, n, type);
}

/* `key = value` into `table` (at level `depth`); dotted keys create sub-tables. */
static void assign(toml_reader *r, pl_node *table, unsigned depth, TSNode pair)
{
	TSNode key = { 0 }, value = { 0 };
	bool have_key = false, have_value = false;
	TSTreeCursor cur = ts_tree_cursor_new(pair);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (!ts_node_is_named(c) || is(c, "comment"))
				continue;
			if (!have_key && is_key(c))
				key = c, have_key = true;
			else if (have_key && !have_value)
				value = c, have_value = true;
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	if (!have_key || !have_value)
		return; /* cannot happen in an error-free tree */

	key_path path = { 0 };
	key_path_of(r, key, &path);
	TSPoint end = ts_node_end_point(value);
	pl_node *map = table;
	for (size_t i = 0; i + 1 < path.n && r->status == PL_CONFIG_OK; i++) {
		map = descend(r, map, &path.segs[i], end, &depth);
		if (too_deep(r, path.segs[i].at, depth))
			break;
	}
	if (r->status == PL_CONFIG_OK && path.n > 0) {
		pl_node *v = convert(r, value, depth + 1);
		const key_seg *k = &path.segs[path.n - 1];
		if (v)
			pl_node_add_pair(r->cfg, map, k->text, k->len, k->at.row + 1, k->at.column + 1, v);
	}
	free(path.segs);
}

/* The end of a table's last non-comment child: the node itself runs on to the next header. */
static TSPoint table_end(TSNode table)
{
	TSPoint end = ts_node_start_point(table);
	TSTreeCursor cur = ts_tree_cursor_new(table);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (!is(c, "comment"))
				end = ts_node_end_point(c);
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return end;
}

/*
 * A `[a.b]` or `[[a.b]]` section: find or make its mapping under the root,
 * then add the section's pairs to it.
 */
static void section(toml_reader *r, pl_node *root, TSNode n, bool array)
{
	TSNode key = { 0 };
	bool have_key = false;
	uint32_t count = ts_node_named_child_count(n);
	/* The header key comes first among the named children (before any pair). */
	for (uint32_t i = 0; i < count && !have_key; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (is_key(c))
			key = c, have_key = true;
		else if (!is(c, "comment"))
			break;
	}
	if (!have_key)
		return;
	key_path path = { 0 };
	key_path_of(r, key, &path);
	TSPoint start = ts_node_start_point(n), end = table_end(n);
	unsigned depth = 1;
	pl_node *map = root;
	for (size_t i = 0; i + 1 < path.n && r->status == PL_CONFIG_OK; i++) {
		map = descend(r, map, &path.segs[i], end, &depth);
		if (too_deep(r, path.segs[i].at, depth))
			break;
	}
	pl_node *target = NULL;
	if (r->status == PL_CONFIG_OK && path.n > 0 &&
	    !too_deep(r, path.segs[path.n - 1].at, depth + (array ? 2 : 1))) {
		const key_seg *k = &path.segs[path.n - 1];
		pl_pair *p = find_pair(map, k);
		if (array) {
			pl_node *seq = p && p->value->kind == PL_NODE_SEQUENCE ? p->value : NULL;
			if (!seq) {
				seq = pl_node_new(r->cfg, PL_NODE_SEQUENCE);
				position_at(seq, start, end);
				pl_node_add_pair(r->cfg, map, k->text, k->len, k->at.row + 1,
						 k->at.column + 1, seq);
			}
			target = pl_node_new(r->cfg, PL_NODE_MAPPING);
			position_at(target, start, end);
			pl_node_add_item(r->cfg, seq, target);
			extend_to(seq, end);
			depth += 2;
		} else if (p && p->value->kind == PL_NODE_MAPPING) {
			target = p->value; /* made earlier by a dotted key or a deeper header */
			extend_to(target, end);
			depth += 1;
		} else {
			target = pl_node_new(r->cfg, PL_NODE_MAPPING);
			position_at(target, start, end);
			pl_node_add_pair(r->cfg, map, k->text, k->len, k->at.row + 1, k->at.column + 1,
					 target);
			depth += 1;
		}
	}
	free(path.segs);
	if (!target)
		return;
	TSTreeCursor cur = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (is(c, "pair"))
				assign(r, target, depth, c);
		} while (r->status == PL_CONFIG_OK && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
}

/* --- errors and entry ---------------------------------------------------------- */


pl_config_status pl_config_read_toml(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err)
{
	memset(err, 0, sizeof(*err));
	if (!text)
		text = "", len = 0;
	if (len > UINT32_MAX) {
		snprintf(err->message, sizeof(err->message), "file too large to parse");
		return PL_CONFIG_LIMIT;
	}
	if (!ts_parser_set_language(parser, tree_sitter_toml())) {
		snprintf(err->message, sizeof(err->message), "cannot load the TOML grammar");
		return PL_CONFIG_INVALID;
	}
	TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	if (!tree) {
		snprintf(err->message, sizeof(err->message), "the TOML parser gave up");
		return PL_CONFIG_LIMIT;
	}
	toml_reader r = { .cfg = cfg, .text = text, .len = len, .err = err, .status = PL_CONFIG_OK };
	TSNode doc = ts_tree_root_node(tree);
	if (ts_node_has_error(doc)) {
		TSNode e = pl_ts_first_error(doc);
		char msg[160];
		if (ts_node_is_missing(e))
			snprintf(msg, sizeof(msg), ts_node_is_named(e) ? "not valid TOML: missing %s"
								 : "not valid TOML: missing \"%s\"",
				 ts_node_type(e));
		else
			snprintf(msg, sizeof(msg), "not valid TOML");
		fail_at(&r, ts_node_start_point(e), PL_CONFIG_INVALID, msg);
	}

	pl_node *root = pl_node_new(cfg, PL_NODE_MAPPING);
	pl_node_position(root, doc);
	root->line = root->col = 1;
	TSTreeCursor cur = ts_tree_cursor_new(doc);
	if (r.status == PL_CONFIG_OK && ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (is(c, "pair"))
				assign(&r, root, 1, c);
			else if (is(c, "table"))
				section(&r, root, c, false);
			else if (is(c, "table_array_element"))
				section(&r, root, c, true);
		} while (r.status == PL_CONFIG_OK && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	ts_tree_delete(tree);
	/* Even an empty file is a document: TOML's empty table. */
	if (r.status == PL_CONFIG_OK)
		pl_config_add_document(cfg, root);
	return r.status;
}
