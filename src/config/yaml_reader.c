/*
 * YAML to the tree model, through tree-sitter's YAML grammar. Every document
 * of a stream becomes a document; anchors are resolved to the anchored node
 * (shared, not copied), merge keys (`<<`) are applied, scalars are decoded
 * (quotes, escapes, block scalars, folding) and typed by the core schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/reader.h"
#include "config/ts_tree.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const TSLanguage *tree_sitter_yaml(void);

typedef struct anchor {
	const char *name;
	size_t len;
	pl_node *node;
} anchor;

typedef struct reader {
	pl_config *cfg;
	const char *text;
	size_t len;
	anchor *anchors;         /* per document */
	size_t nanchors, cap;
	pl_config_error *err;
	pl_config_status status;
} reader;

static void fail(reader *r, TSNode at, pl_config_status st, const char *msg)
{
	if (r->status != PL_CONFIG_OK)
		return;
	TSPoint p = ts_node_start_point(at);
	r->status = st;
	r->err->line = p.row + 1;
	r->err->col = p.column + 1;
	snprintf(r->err->message, sizeof(r->err->message), "%s", msg);
}

static bool is(TSNode n, const char *type)
{
	return strcmp(ts_node_type(n), type) == 0;
}


static pl_node *null_at(reader *r, TSNode n, bool at_end)
{
	pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
	out->type = PL_SCALAR_NULL;
	pl_node_position(out, n);
	if (at_end) {
		out->line = out->end_line;
		out->col = out->end_col;
	}
	return out;
}

/* --- scalars ----------------------------------------------------------------- */


/* Flow scalars fold line breaks: one break becomes a space, n breaks n-1 newlines;
 * spaces around breaks are dropped. `s` is the text between the quotes (or plain). */
static void add_folded_flow(pl_strbuf *sb, const char *s, size_t n, bool double_quoted)
{
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c == '\n' || c == '\r') {
			/* Drop trailing blanks already emitted. */
			while (sb->len && (sb->buf[sb->len - 1] == ' ' || sb->buf[sb->len - 1] == '\t'))
				sb->buf[--sb->len] = '\0';
			size_t breaks = 0;
			while (i < n && (s[i] == '\n' || s[i] == '\r' || s[i] == ' ' || s[i] == '\t')) {
				if (s[i] == '\n')
					breaks++;
				i++;
			}
			if (breaks <= 1)
				pl_strbuf_addch(sb, ' ');
			else
				for (size_t k = 1; k < breaks; k++)
					pl_strbuf_addch(sb, '\n');
			continue;
		}
		if (double_quoted && c == '\\' && i + 1 < n) {
			char e = s[++i];
			i++;
			unsigned digits = 0;
			switch (e) {
			case '0': pl_strbuf_addch(sb, '\0'); break;
			case 'a': pl_strbuf_addch(sb, '\a'); break;
			case 'b': pl_strbuf_addch(sb, '\b'); break;
			case 't': case '\t': pl_strbuf_addch(sb, '\t'); break;
			case 'n': pl_strbuf_addch(sb, '\n'); break;
			case 'v': pl_strbuf_addch(sb, '\v'); break;
			case 'f': pl_strbuf_addch(sb, '\f'); break;
			case 'r': pl_strbuf_addch(sb, '\r'); break;
			case 'e': pl_strbuf_addch(sb, '\x1b'); break;
			case ' ': pl_strbuf_addch(sb, ' '); break;
			case '"': pl_strbuf_addch(sb, '"'); break;
			case '/': pl_strbuf_addch(sb, '/'); break;
			case '\\': pl_strbuf_addch(sb, '\\'); break;
			case 'N': pl_utf8_encode(sb, 0x85); break;
			case '_': pl_utf8_encode(sb, 0xA0); break;
			case 'L': pl_utf8_encode(sb, 0x2028); break;
			case 'P': pl_utf8_encode(sb, 0x2029); break;
			case 'x': digits = 2; break;
			case 'u': digits = 4; break;
			case 'U': digits = 8; break;
			case '\r':
			case '\n':
				/* Escaped line break: join without a space, skip leading blanks. */
				if (e == '\r' && i < n && s[i] == '\n')
					i++;
				while (i < n && (s[i] == ' ' || s[i] == '\t'))
					i++;
				break;
			default:
				pl_strbuf_addch(sb, '\\');
				pl_strbuf_addch(sb, e);
				break;
			}
			if (digits) {
				unsigned long cp = 0;
				unsigned k = 0;
				for (; k < digits && i < n; k++, i++) {
					char h = s[i];
					int v = (h >= '0' && h <= '9') ? h - '0'
						: (h >= 'a' && h <= 'f') ? h - 'a' + 10
						: (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
					if (v < 0)
						break;
					cp = cp * 16 + (unsigned long)v;
				}
				pl_utf8_encode(sb, cp);
			}
			continue;
		}
		if (!double_quoted && c == '\'' && i + 1 < n && s[i + 1] == '\'') {
			pl_strbuf_addch(sb, '\'');
			i += 2;
			continue;
		}
		pl_strbuf_addch(sb, c);
		i++;
	}
}

/* A block scalar: header (`|` or `>`, chomping, indentation) then content lines. */
static void add_block_scalar(pl_strbuf *sb, const char *s, size_t n, unsigned node_col)
{
	size_t i = 1;
	bool folded = s[0] == '>';
	char chomp = 'c';
	unsigned explicit_indent = 0;
	while (i < n && s[i] != '\n' && s[i] != '#' && s[i] != ' ') {
		if (s[i] == '-' || s[i] == '+')
			chomp = s[i];
		else if (s[i] >= '1' && s[i] <= '9')
			explicit_indent = (unsigned)(s[i] - '0');
		i++;
	}
	while (i < n && s[i] != '\n')
		i++;
	if (i < n)
		i++;
	/* The content's indentation is that of its first non-blank line (an
	 * explicit indentation indicator is rare and read the same way). */
	(void)explicit_indent;
	(void)node_col;
	unsigned indent = 0;
	for (size_t scan = i; scan < n;) {
		unsigned sp = 0;
		while (scan + sp < n && s[scan + sp] == ' ')
			sp++;
		if (scan + sp >= n)
			break;
		if (s[scan + sp] == '\n' || s[scan + sp] == '\r') {
			while (scan < n && s[scan] != '\n')
				scan++;
			scan++;
			continue;
		}
		indent = sp;
		break;
	}
	size_t start = sb->len;
	bool prev_more_indented = false, first = true;
	size_t pending_breaks = 0;
	while (i < n) {
		size_t eol = i;
		while (eol < n && s[eol] != '\n')
			eol++;
		size_t line_end = eol;
		if (line_end > i && s[line_end - 1] == '\r')
			line_end--;
		unsigned sp = 0;
		while (i + sp < line_end && s[i + sp] == ' ')
			sp++;
		bool blank = i + sp >= line_end;
		if (blank) {
			pending_breaks++;
		} else {
			const char *content = s + i + (sp < indent ? sp : indent);
			size_t clen = line_end - (size_t)(content - s);
			bool more_indented = sp > indent || content[0] == '\t';
			if (!first) {
				if (folded && !more_indented && !prev_more_indented && pending_breaks == 0)
					pl_strbuf_addch(sb, ' ');
				else if (folded && !more_indented && !prev_more_indented)
					for (size_t k = 0; k < pending_breaks; k++)
						pl_strbuf_addch(sb, '\n');
				else
					for (size_t k = 0; k <= pending_breaks; k++)
						pl_strbuf_addch(sb, '\n');
			} else {
				for (size_t k = 0; k < pending_breaks; k++)
					pl_strbuf_addch(sb, '\n');
			}
			pending_breaks = 0;
			pl_strbuf_add(sb, content, clen);
			prev_more_indented = more_indented;
			first = false;
		}
		i = eol < n ? eol + 1 : n;
	}
	if (sb->len == start)
		return;
	if (chomp == 'c')
		pl_strbuf_addch(sb, '\n');
	else if (chomp == '+')
		for (size_t k = 0; k <= pending_breaks; k++)
			pl_strbuf_addch(sb, '\n');
}

/* `|+` keeps the blank lines after the content, which the syntax node does not span. */
static void keep_trailing_blank_lines(reader *r, pl_strbuf *sb, const char *src, size_t len,
				      uint32_t end)
{
	size_t i = 1;
	while (i < len && src[i] != '\n' && src[i] != '+')
		i++;
	if (i >= len || src[i] != '+' || sb->len == 0)
		return;
	size_t pos = end;
	/* The node ends with its last content line; that line's break is not a blank line. */
	while (pos < r->len && r->text[pos] != '\n')
		pos++;
	pos++;
	while (pos < r->len) {
		size_t k = pos;
		while (k < r->len && (r->text[k] == ' ' || r->text[k] == '\r'))
			k++;
		if (k >= r->len || r->text[k] != '\n')
			break;
		pl_strbuf_addch(sb, '\n');
		pos = k + 1;
	}
}

static pl_node *scalar(reader *r, TSNode n, const char *type, bool force_string)
{
	pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
	pl_node_position(out, n);
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	const char *src = r->text + s;
	size_t len = e - s;
	pl_strbuf sb = PL_STRBUF_INIT;
	bool plain = false;
	if (strcmp(type, "double_quote_scalar") == 0 && len >= 2) {
		add_folded_flow(&sb, src + 1, len - 2, true);
	} else if (strcmp(type, "single_quote_scalar") == 0 && len >= 2) {
		add_folded_flow(&sb, src + 1, len - 2, false);
	} else if (strcmp(type, "block_scalar") == 0 && len >= 1) {
		add_block_scalar(&sb, src, len, out->col);
		keep_trailing_blank_lines(r, &sb, src, len, e);
	} else {
		add_folded_flow(&sb, src, len, false);
		plain = true;
	}
	out->text_len = sb.len;
	out->text = pl_arena_strndup(&r->cfg->arena, sb.buf, sb.len);
	pl_strbuf_release(&sb);
	if (plain && !force_string)
		pl_node_type_plain_scalar(out);
	else
		out->type = PL_SCALAR_STRING;
	return out;
}

/* --- structure ------------------------------------------------------------------ */

static pl_node *convert(reader *r, TSNode n, unsigned depth);

static pl_node *find_anchor(reader *r, const char *name, size_t len)
{
	for (size_t i = r->nanchors; i-- > 0;) /* the latest definition wins */
		if (r->anchors[i].len == len && memcmp(r->anchors[i].name, name, len) == 0)
			return r->anchors[i].node;
	return NULL;
}

/* Text of a key node (a scalar); NULL for complex keys, which rules never address. */
static pl_node *key_scalar(reader *r, TSNode key, unsigned depth)
{
	pl_node *k = convert(r, key, depth);
	return k && k->kind == PL_NODE_SCALAR ? k : NULL;
}

static void add_pair(reader *r, pl_node *map, TSNode key_node, TSNode value_node, bool has_value,
		     unsigned depth)
{
	pl_node *key = key_scalar(r, key_node, depth);
	if (!key)
		return;
	pl_node *value = has_value ? convert(r, value_node, depth) : null_at(r, key_node, true);
	if (!value)
		return;
	pl_node_add_pair(r->cfg, map, key->text, key->text_len, key->line, key->col, value);
}

/* Merge keys: `<<: *base` (or a list of them) adds the pairs map does not define itself. */
static void apply_merges(reader *r, pl_node *map)
{
	size_t n = map->npairs;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(map->pairs[i].key, "<<") != 0)
			continue;
		pl_node *v = map->pairs[i].value;
		pl_node **sources = &v;
		size_t nsources = 1;
		if (v->kind == PL_NODE_SEQUENCE) {
			sources = v->items;
			nsources = v->nitems;
		}
		for (size_t s = 0; s < nsources; s++) {
			const pl_node *src = sources[s];
			if (src->kind != PL_NODE_MAPPING)
				continue;
			for (size_t k = 0; k < src->npairs; k++) {
				const pl_pair *p = &src->pairs[k];
				if (!pl_node_get_pair(map, p->key))
					pl_node_add_pair(r->cfg, map, p->key, p->key_len, p->key_line,
							 p->key_col, p->value);
			}
		}
	}
}

static pl_node *convert(reader *r, TSNode n, unsigned depth)
{
	if (r->status != PL_CONFIG_OK)
		return NULL;
	if (depth > PL_CONFIG_MAX_DEPTH * 4) { /* a YAML level is up to four CST levels */
		fail(r, n, PL_CONFIG_LIMIT, "nesting is deeper than prodlint reads");
		return NULL;
	}
	const char *type = ts_node_type(n);
	if (strcmp(type, "block_node") == 0 || strcmp(type, "flow_node") == 0) {
		const char *anchor_name = NULL;
		size_t anchor_len = 0;
		bool force_string = false;
		pl_node *out = NULL;
		uint32_t count = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < count && r->status == PL_CONFIG_OK; i++) {
			TSNode c = ts_node_named_child(n, i);
			const char *ct = ts_node_type(c);
			if (strcmp(ct, "anchor") == 0) {
				TSNode name = ts_node_named_child(c, 0);
				if (!ts_node_is_null(name)) {
					anchor_name = r->text + ts_node_start_byte(name);
					anchor_len = ts_node_end_byte(name) - ts_node_start_byte(name);
				}
			} else if (strcmp(ct, "tag") == 0) {
				uint32_t s = ts_node_start_byte(c), e = ts_node_end_byte(c);
				force_string = e - s == 5 && memcmp(r->text + s, "!!str", 5) == 0;
			} else if (strcmp(ct, "comment") == 0) {
				continue;
			} else if (!out) {
				if (strcmp(ct, "plain_scalar") == 0 || strcmp(ct, "double_quote_scalar") == 0 ||
				    strcmp(ct, "single_quote_scalar") == 0 || strcmp(ct, "block_scalar") == 0)
					out = scalar(r, c, ct, force_string);
				else
					out = convert(r, c, depth + 1);
			}
		}
		if (!out && r->status == PL_CONFIG_OK)
			out = null_at(r, n, false);
		/* Register after the content is built: an alias can never reach its own anchor. */
		if (out && anchor_name) {
			PL_GROW(r->anchors, r->cap, r->nanchors + 1);
			r->anchors[r->nanchors++] = (anchor){ anchor_name, anchor_len, out };
		}
		return out;
	}
	if (strcmp(type, "alias") == 0) {
		TSNode name = ts_node_named_child(n, 0);
		pl_node *target = NULL;
		if (!ts_node_is_null(name))
			target = find_anchor(r, r->text + ts_node_start_byte(name),
					     ts_node_end_byte(name) - ts_node_start_byte(name));
		if (!target) {
			fail(r, n, PL_CONFIG_INVALID, "alias to an unknown anchor");
			return NULL;
		}
		target->is_alias = true;
		return target;
	}
	if (strcmp(type, "block_mapping") == 0 || strcmp(type, "flow_mapping") == 0) {
		pl_node *map = pl_node_new(r->cfg, PL_NODE_MAPPING);
		pl_node_position(map, n);
		uint32_t count = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < count && r->status == PL_CONFIG_OK; i++) {
			TSNode c = ts_node_named_child(n, i);
			if (is(c, "block_mapping_pair") || is(c, "flow_pair")) {
				TSNode k = ts_node_child_by_field_name(c, "key", 3);
				TSNode v = ts_node_child_by_field_name(c, "value", 5);
				if (ts_node_is_null(k))
					continue; /* `: value` with an empty key: nothing a rule addresses */
				add_pair(r, map, k, v, !ts_node_is_null(v), depth + 1);
			} else if (is(c, "flow_node")) {
				add_pair(r, map, c, c, false, depth + 1); /* `{a, b}`: keys with null values */
			}
		}
		apply_merges(r, map);
		return map;
	}
	if (strcmp(type, "block_sequence") == 0 || strcmp(type, "flow_sequence") == 0) {
		pl_node *seq = pl_node_new(r->cfg, PL_NODE_SEQUENCE);
		pl_node_position(seq, n);
		uint32_t count = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < count && r->status == PL_CONFIG_OK; i++) {
			TSNode c = ts_node_named_child(n, i);
			pl_node *item = NULL;
			if (is(c, "block_sequence_item")) {
				TSNode inner = ts_node_named_child(c, 0);
				while (!ts_node_is_null(inner) && is(inner, "comment"))
					inner = ts_node_next_named_sibling(inner);
				item = ts_node_is_null(inner) ? null_at(r, c, true) : convert(r, inner, depth + 1);
			} else if (is(c, "flow_pair")) {
				/* `[a: 1]` is a one-pair mapping. */
				item = pl_node_new(r->cfg, PL_NODE_MAPPING);
				pl_node_position(item, c);
				TSNode k = ts_node_child_by_field_name(c, "key", 3);
				TSNode v = ts_node_child_by_field_name(c, "value", 5);
				if (!ts_node_is_null(k))
					add_pair(r, item, k, v, !ts_node_is_null(v), depth + 1);
			} else if (is(c, "flow_node")) {
				item = convert(r, c, depth + 1);
			} else {
				continue;
			}
			if (item)
				pl_node_add_item(r->cfg, seq, item);
		}
		return seq;
	}
	if (strcmp(type, "plain_scalar") == 0 || strcmp(type, "double_quote_scalar") == 0 ||
	    strcmp(type, "single_quote_scalar") == 0 || strcmp(type, "block_scalar") == 0)
		return scalar(r, n, type, false);
	return null_at(r, n, false);
}


/*
 * What tree-sitter-yaml cannot read faithfully: its scanner counts rows in
 * 16 bits (past 32767 lines the whole file turns into an error node,
 * tree-sitter-grammars/tree-sitter-yaml#49), and keeps one indentation
 * stack entry per open block, of which tree-sitter's serialization buffer
 * holds about 250 (the rest are dropped: a wrong tree). Every nested block
 * starts at a deeper column (a sequence may share its parent's), so block
 * content starting before column YAML_MAX_BLOCK_COLUMN is safe. The column
 * of a line is past its indentation and any "- ", "? " and ": " indicators
 * opening nested blocks on it; lines of block scalars are counted too, so
 * this errs on the side of refusing.
 */
#define YAML_MAX_LINES 32767
#define YAML_MAX_BLOCK_COLUMN 120

static bool beyond_parser(const char *text, size_t len, pl_config_error *err)
{
	unsigned line = 1;
	for (size_t i = 0; i < len; line++) {
		size_t start = i;
		while (i < len && text[i] == ' ')
			i++;
		while (i + 1 < len && (text[i] == '-' || text[i] == '?' || text[i] == ':') &&
		       (text[i + 1] == ' ' || text[i + 1] == '\t')) {
			i += 2;
			while (i < len && (text[i] == ' ' || text[i] == '\t'))
				i++;
		}
		if (i - start > YAML_MAX_BLOCK_COLUMN && i < len && text[i] != '\n' && text[i] != '\r' &&
		    text[i] != '#') {
			err->line = line;
			err->col = (unsigned)(i - start) + 1;
			snprintf(err->message, sizeof(err->message),
				 "nesting is deeper than prodlint reads (block content past column %d)",
				 YAML_MAX_BLOCK_COLUMN);
			return true;
		}
		const char *nl = memchr(text + i, '\n', len - i);
		i = nl ? (size_t)(nl - text) + 1 : len;
		if (line > YAML_MAX_LINES && i < len) {
			err->line = line + 1;
			snprintf(err->message, sizeof(err->message),
				 "longer than %d lines, more than the YAML parser reads", YAML_MAX_LINES);
			return true;
		}
	}
	return false;
}

pl_config_status pl_config_read_yaml(pl_config *cfg, TSParser *parser, const char *text,
				     size_t len, pl_config_error *err)
{
	memset(err, 0, sizeof(*err));
	if (beyond_parser(text, len, err))
		return PL_CONFIG_LIMIT;
	if (!ts_parser_set_language(parser, tree_sitter_yaml())) {
		snprintf(err->message, sizeof(err->message), "cannot load the YAML grammar");
		return PL_CONFIG_INVALID;
	}
	TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
	if (!tree) {
		snprintf(err->message, sizeof(err->message), "the YAML parser gave up");
		return PL_CONFIG_LIMIT;
	}
	reader r = { .cfg = cfg, .text = text, .len = len, .err = err, .status = PL_CONFIG_OK };
	TSNode root = ts_tree_root_node(tree);
	if (ts_node_has_error(root)) {
		TSNode e = pl_ts_first_error(root);
		fail(&r, e, PL_CONFIG_INVALID, "not valid YAML");
	}
	uint32_t ndocs = r.status == PL_CONFIG_OK ? ts_node_named_child_count(root) : 0;
	for (uint32_t d = 0; d < ndocs && r.status == PL_CONFIG_OK; d++) {
		TSNode doc = ts_node_named_child(root, d);
		if (!is(doc, "document"))
			continue;
		r.nanchors = 0; /* anchors are per document */
		uint32_t count = ts_node_named_child_count(doc);
		for (uint32_t i = 0; i < count; i++) {
			TSNode c = ts_node_named_child(doc, i);
			if (is(c, "block_node") || is(c, "flow_node")) {
				pl_node *content = convert(&r, c, 0);
				if (content)
					pl_config_add_document(cfg, content);
				break;
			}
		}
	}
	free(r.anchors);
	ts_tree_delete(tree);
	return r.status;
}
