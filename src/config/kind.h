/*
 * kind: what a configuration file is, from its path and then its content.
 *
 * The path decides first (a workflow under .github/workflows/, a compose
 * file, a Dockerfile, Helm values beside a Chart.yaml); a YAML or JSON file
 * the path says nothing about becomes `kubernetes` when one of its documents
 * has `apiVersion` and `kind`, else stays generic. Helm templates (Go
 * template syntax, not YAML) are recognised before parsing, so they are
 * reported as skipped rather than as broken YAML.
 */
#ifndef PL_CONFIG_KIND_H
#define PL_CONFIG_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include <tree_sitter/api.h>

#include "config/tree.h"
#include "lang/lang.h"

/* Kind from the path (and the file system, for Chart.yaml); generic kinds by format. */
pl_file_kind pl_config_kind_from_path(const char *path, const char *fs_path,
				      const pl_language *lang);

/*
 * True if the text is a template rather than data: `{{` not preceded by `$`
 * (GitHub's `${{ }}` expressions are data) outside comments, or a file in a
 * Helm chart's templates/ directory. *line receives the first such line.
 */
bool pl_config_is_template(const char *path, const char *text, size_t len, unsigned *line);

/* Whether files of this (path-decided) kind can be templates at all: CI
 * workflows use `{{` inside scripts (`--format '{{.Id}}'`) and Dockerfiles
 * are never YAML templates. */
bool pl_config_template_check(pl_file_kind kind);

/* After parsing: generic YAML/JSON with apiVersion + kind becomes kubernetes,
 * and the items of a Kubernetes `List` become documents of their own. */
void pl_config_refine_kind(pl_config *cfg);

/* Path, then content: read the file (with `parser` for tree-sitter formats)
 * and refine. PL_KIND_NONE for templates and files that do not parse. */
pl_file_kind pl_config_detect_kind(const char *path, const char *fs_path, const pl_language *lang,
				   TSParser *parser, const char *text, size_t len);

/* The kinds a file in this format can turn out to be, as a bit set. */
unsigned pl_config_possible_kinds(const pl_language *lang);

#endif
