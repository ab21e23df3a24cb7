/*
 * lang: the languages prodlint parses, as one table.
 *
 * Each language is one file (python.c, go.c, ...) defining a const
 * pl_language, plus one line in languages.c. Entries are static and
 * immutable, so they are shared freely between threads.
 *
 * Usage: pl_language_for_path("app/llm.py", first_line) picks a language from
 * the file name or, failing that, a shebang; pl_language_by_name("python")
 * resolves the names used in rule files.
 */
#ifndef PL_LANG_H
#define PL_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

/*
 * What may stand right before and right after the text of a node of one
 * type in a parsed file: the bytes its token rules stop at. The text of a
 * JavaScript `string_fragment` ends where a quote, a backslash (an escape
 * follows), `${`, `&` (JSX) or a line break begins. The prefilter uses it
 * to keep the edges a predicate's regex anchors to (`^`, `$`) when it
 * searches a whole file (relax.h). Only node types that never start a
 * file are listed (a quote comes first); after one, a line break and the
 * end of the file always count too (an unterminated string).
 */
typedef struct pl_node_edges {
	const char *type;         /* node type; NULL ends a table */
	const char *before;       /* bytes that may come right before the text; NULL: any */
	unsigned escape_before;   /* ... or a backslash escape this long at most (0: none) */
	const char *after;        /* bytes that may come right after it; NULL: any */
	const char *gap;          /* or after this (a PCRE2 pattern: blanks, comments); NULL: none */
} pl_node_edges;

/*
 * The edges of the node in one field of a parent type, whatever its type:
 * the `name` of a Python keyword_argument comes before `=`, past blanks and
 * comments (the gap). A tail field's node ends where its parent does (the
 * `attribute` of `os.system`), so what follows the parent follows it. With
 * no field, the entry is for the one child of a parent type that wraps
 * exactly one node and nothing else (Go's literal_element): a tail.
 */
typedef struct pl_field_edges {
	const char *parent;       /* NULL ends a table */
	const char *field;        /* NULL: the parent's one child, in no field */
	pl_node_edges edges;      /* edges.type is not used; all NULL for a tail */
	bool tail;
} pl_field_edges;

typedef struct pl_language {
	const char *name;                     /* as written in rules: "python" */
	const TSLanguage *(*grammar)(void);   /* tree-sitter entry point; NULL if read by hand */
	const char *const *extensions;        /* NULL-terminated, with the dot: ".py" */
	const char *const *filenames;         /* NULL or NULL-terminated globs on the base name */
	const char *const *shebang_interpreters; /* NULL-terminated: "python3" matches python3.11 too */
	const char *line_comment;             /* "#" or "//": fixture annotations, suppressions;
					       * NULL where the format has none (JSON) */
	/* An `identifier` node never stands right after a member access dot:
	 * member names have a node type of their own (property_identifier).
	 * So a query's #eq? on an identifier needs its string as a plain name
	 * (literals.h); `x.exec` is no call of exec. Not Python (attributes are
	 * identifiers) nor Go (a method expression on a type literal,
	 * `struct{ T }.m`, reads so). */
	bool identifier_never_member;
	const pl_node_edges *node_edges;      /* NULL, or a table ending in a NULL type */
	const pl_field_edges *field_edges;    /* NULL, or a table ending in a NULL parent */
	/* Name endings of files that only declare types (".d.ts"): nothing in
	 * them runs. NULL or NULL-terminated. */
	const char *const *declaration_suffixes;
} pl_language;

/* All languages, in a fixed order; *count receives the number. */
const pl_language *const *pl_languages(size_t *count);

const pl_language *pl_language_by_name(const char *name);

/* The edges of a node of the `len` bytes of `type`; NULL if not known (lang
 * may be NULL). */
const pl_node_edges *pl_language_node_edges(const pl_language *lang, const char *type, size_t len);

/* The entry for the node in `field` of a `parent` node (field NULL: a child
 * in no field); NULL if none. */
const pl_field_edges *pl_language_field_edges(const pl_language *lang, const char *parent,
					      size_t parent_len, const char *field, size_t field_len);

/* Does `path`, a file of lang, only declare types (a TypeScript `.d.ts`)? */
bool pl_language_is_declaration_file(const pl_language *lang, const char *path);

/*
 * Language for a file: by extension, else by the shebang in `head` (the first
 * bytes of the file, may be NULL). NULL if none.
 */
const pl_language *pl_language_for_path(const char *path, const char *head, size_t head_len);

/* Does the path's last component carry an extension (not only a leading
 * dot)? Then the extension alone says its language: no shebang is read. */
bool pl_path_has_extension(const char *path);

#endif
