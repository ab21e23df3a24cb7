/*
 * prodlint inspect FILE: what prodlint sees in a file, for rule authors.
 * Code: the tree-sitter syntax tree (node types and fields for queries).
 * Config: the file kind and every node of the config tree as a path with
 * its position and typed value (what `select` and conditions address).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config/kind.h"
#include "config/reader.h"
#include "util/fs.h"
#include "util/strbuf.h"

static const char *type_name(const pl_node *n)
{
	if (n->kind == PL_NODE_MAPPING)
		return "mapping";
	if (n->kind == PL_NODE_SEQUENCE)
		return "sequence";
	switch (n->type) {
	case PL_SCALAR_INT: return "int";
	case PL_SCALAR_FLOAT: return "float";
	case PL_SCALAR_BOOL: return "bool";
	case PL_SCALAR_NULL: return "null";
	default: return "string";
	}
}

static void print_node(const pl_node *n, pl_strbuf *path, unsigned depth)
{
	printf("%-50s %u:%u %s", path->len ? path->buf : "(root)", n->line, n->col, type_name(n));
	if (n->kind == PL_NODE_SCALAR && n->type != PL_SCALAR_NULL)
		printf(" %.*s", (int)(n->text_len < 100 ? n->text_len : 100), n->text);
	if (n->is_alias)
		printf(" (shared by an alias)");
	putchar('\n');
	if (depth > 64)
		return;
	size_t keep = path->len;
	for (size_t i = 0; i < n->npairs; i++) {
		const char *k = n->pairs[i].key;
		bool plain = strcspn(k, ".[]\"* ") == strlen(k) && *k;
		if (plain)
			pl_strbuf_addf(path, "%s%s", keep ? "." : "", k);
		else
			pl_strbuf_addf(path, "[\"%s\"]", k);
		print_node(n->pairs[i].value, path, depth + 1);
		path->len = keep;
		path->buf[keep] = '\0';
	}
	for (size_t i = 0; i < n->nitems; i++) {
		pl_strbuf_addf(path, "[%zu]", i);
		print_node(n->items[i], path, depth + 1);
		path->len = keep;
		path->buf[keep] = '\0';
	}
}

int pl_cmd_inspect(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: prodlint inspect FILE\n", stderr);
		return PL_EXIT_USAGE;
	}
	const char *path = argv[1];
	char *text;
	size_t len;
	if (pl_read_file(path, (size_t)64 << 20, &text, &len) != PL_READ_OK) {
		pl_cli_error("cannot read '%s': %s", path, strerror(errno));
		return PL_EXIT_USAGE;
	}
	const pl_language *lang = pl_language_for_path(path, text, len);
	if (!lang) {
		pl_cli_error("'%s' is not in a language prodlint reads", path);
		free(text);
		return PL_EXIT_USAGE;
	}
	TSParser *parser = ts_parser_new();
	int rc = PL_EXIT_CLEAN;
	printf("language: %s\n", lang->name);
	if (pl_config_possible_kinds(lang)) {
		pl_config cfg = { .kind = pl_config_kind_from_path(path, path, lang) };
		pl_config_error err;
		unsigned tline;
		pl_config_status st = PL_CONFIG_OK;
		if (pl_config_template_check(cfg.kind) && pl_config_is_template(path, text, len, &tline)) {
			printf("skipped: a template (line %u)\n", tline);
		} else {
			st = pl_config_read(&cfg, lang, parser, text, len, &err);
			if (st != PL_CONFIG_OK) {
				printf("%s:%u:%u: %s\n", path, err.line, err.col, err.message);
				rc = PL_EXIT_INCOMPLETE;
			} else {
				pl_config_refine_kind(&cfg);
				printf("kind: %s\n", pl_file_kind_name(cfg.kind));
				for (size_t d = 0; d < cfg.ndocuments; d++) {
					printf("--- document %zu\n", d);
					pl_strbuf p = PL_STRBUF_INIT;
					print_node(cfg.documents[d], &p, 0);
					pl_strbuf_release(&p);
				}
			}
		}
		pl_config_release(&cfg);
	} else if (lang->grammar) {
		ts_parser_set_language(parser, lang->grammar());
		TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
		char *s = ts_node_string(ts_tree_root_node(tree));
		puts(s);
		free(s);
		ts_tree_delete(tree);
	}
	ts_parser_delete(parser);
	free(text);
	return rc;
}
