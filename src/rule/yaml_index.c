#include "rule/yaml_index.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

typedef struct frame {
	bool is_map;
	char *path;          /* owned */
	size_t seq_index;
	bool expecting_key;
	char *key;           /* owned: pending key in a mapping */
	unsigned key_line, key_col;
} frame;

typedef struct builder {
	pl_yaml_index *index;
	const char *data;
	size_t len;
	frame *stack;
	size_t depth, cap;
	/* Where block_indent last stopped: the start of line `line`. Events
	 * come in text order, so each search goes on from there. */
	size_t line_pos;
	unsigned line;
} builder;

/* Column of the first text line of a block scalar whose indicator is on `line`. */
static unsigned block_indent(builder *b, unsigned line)
{
	const char *data = b->data;
	size_t len = b->len;
	if (line < b->line) { /* not in text order after all: from the top */
		b->line = 1;
		b->line_pos = 0;
	}
	size_t i = b->line_pos;
	unsigned cur = b->line;
	while (i < len && cur < line) {
		if (data[i] == '\n')
			cur++;
		i++;
	}
	b->line = cur;
	b->line_pos = i;
	/* past the indicator's line */
	while (i < len && data[i] != '\n')
		i++;
	i++;
	for (;;) {
		unsigned spaces = 0;
		while (i < len && data[i] == ' ') {
			spaces++;
			i++;
		}
		if (i >= len)
			return spaces + 1;
		if (data[i] == '\n' || data[i] == '\r') { /* blank line: keep looking */
			while (i < len && data[i] != '\n')
				i++;
			i++;
			continue;
		}
		return spaces + 1;
	}
}

static void add_value(builder *b, const yaml_event_t *ev, bool block, const char **out_path)
{
	const yaml_mark_t *mark = &ev->start_mark;
	pl_yaml_index *ix = b->index;
	pl_strbuf path = PL_STRBUF_INIT;
	char *key = NULL;
	unsigned key_line = 0, key_col = 0;
	if (b->depth) {
		frame *top = &b->stack[b->depth - 1];
		pl_strbuf_adds(&path, top->path);
		if (top->is_map) {
			if (path.len)
				pl_strbuf_addch(&path, '.');
			pl_strbuf_adds(&path, top->key ? top->key : "?");
			key = top->key;
			top->key = NULL;
			key_line = top->key_line;
			key_col = top->key_col;
			top->expecting_key = true;
		} else {
			pl_strbuf_addf(&path, "[%zu]", top->seq_index++);
		}
	}
	PL_GROW(ix->items, ix->cap, ix->len + 1);
	pl_yaml_entry *e = &ix->items[ix->len++];
	memset(e, 0, sizeof(*e));
	e->path = pl_strbuf_detach(&path);
	e->key = key;
	e->key_line = key_line;
	e->key_col = key_col;
	e->line = (unsigned)mark->line + 1;
	e->col = (unsigned)mark->column + 1;
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		e->kind = PL_YAML_MAPPING;
		break;
	case YAML_SEQUENCE_START_EVENT:
		e->kind = PL_YAML_SEQUENCE;
		break;
	case YAML_ALIAS_EVENT:
		e->kind = PL_YAML_ALIAS;
		break;
	default:
		e->kind = PL_YAML_SCALAR;
		e->value = pl_xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		break;
	}
	e->block_scalar = block;
	e->indent = block ? block_indent(b, e->line) : 0;
	*out_path = e->path;
}

static void push(builder *b, bool is_map, const char *path)
{
	PL_GROW(b->stack, b->cap, b->depth + 1);
	frame *f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->is_map = is_map;
	f->path = pl_xstrdup(path);
	f->expecting_key = is_map;
}

static void pop(builder *b)
{
	if (!b->depth)
		return;
	frame *f = &b->stack[--b->depth];
	free(f->path);
	free(f->key);
}

/* A node event: a key if the enclosing mapping waits for one, else a value. */
static void on_node(builder *b, const yaml_event_t *ev, const char *scalar, size_t scalar_len)
{
	frame *top = b->depth ? &b->stack[b->depth - 1] : NULL;
	if (top && top->is_map && top->expecting_key) {
		free(top->key);
		top->key = scalar ? pl_xstrndup(scalar, scalar_len) : pl_xstrdup("?");
		top->key_line = (unsigned)ev->start_mark.line + 1;
		top->key_col = (unsigned)ev->start_mark.column + 1;
		top->expecting_key = false;
		if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT)
			push(b, ev->type == YAML_MAPPING_START_EVENT, "?"); /* complex key: skip it */
		return;
	}
	bool block = ev->type == YAML_SCALAR_EVENT &&
		     (ev->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		      ev->data.scalar.style == YAML_FOLDED_SCALAR_STYLE);
	const char *path;
	add_value(b, ev, block, &path);
	if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT)
		push(b, ev->type == YAML_MAPPING_START_EVENT, path);
}

int pl_yaml_index_build(pl_yaml_index *ix, const char *data, size_t len)
{
	memset(ix, 0, sizeof(*ix));
	builder b = { ix, data, len, NULL, 0, 0, 0, 1 };
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser))
		pl_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	int rc = 0;
	for (bool done = false; !done;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			ix->error = pl_xstrdup(parser.problem ? parser.problem : "invalid YAML");
			ix->error_line = (unsigned)parser.problem_mark.line + 1;
			ix->error_col = (unsigned)parser.problem_mark.column + 1;
			rc = -1;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ix->documents == 2) {
				ix->second_doc_line = (unsigned)ev.start_mark.line + 1;
				ix->second_doc_col = (unsigned)ev.start_mark.column + 1;
			}
			break;
		case YAML_ALIAS_EVENT:
			if (!ix->has_alias) {
				ix->has_alias = true;
				ix->alias_line = (unsigned)ev.start_mark.line + 1;
				ix->alias_col = (unsigned)ev.start_mark.column + 1;
			}
			on_node(&b, &ev, NULL, 0);
			break;
		case YAML_SCALAR_EVENT:
			on_node(&b, &ev, (const char *)ev.data.scalar.value, ev.data.scalar.length);
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			on_node(&b, &ev, NULL, 0);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			pop(&b);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	while (b.depth)
		pop(&b);
	free(b.stack);
	yaml_parser_delete(&parser);
	return rc;
}

void pl_yaml_index_release(pl_yaml_index *ix)
{
	for (size_t i = 0; i < ix->len; i++) {
		free(ix->items[i].path);
		free(ix->items[i].key);
		free(ix->items[i].value);
	}
	free(ix->items);
	free(ix->error);
	memset(ix, 0, sizeof(*ix));
}

const pl_yaml_entry *pl_yaml_index_find(const pl_yaml_index *ix, const char *path)
{
	for (size_t i = 0; i < ix->len; i++)
		if (strcmp(ix->items[i].path, path) == 0)
			return &ix->items[i];
	return NULL;
}

const pl_yaml_entry *pl_yaml_index_find_key_after(const pl_yaml_index *ix, const char *key,
						  unsigned line, unsigned col)
{
	for (size_t i = 0; i < ix->len; i++) {
		const pl_yaml_entry *e = &ix->items[i];
		if (!e->key || strcmp(e->key, key) != 0)
			continue;
		if (e->key_line > line || (e->key_line == line && e->key_col >= col))
			return e;
	}
	return NULL;
}
