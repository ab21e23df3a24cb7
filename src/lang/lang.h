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

#include <stddef.h>
#include <tree_sitter/api.h>

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
} pl_language;

/* All languages, in a fixed order; *count receives the number. */
const pl_language *const *pl_languages(size_t *count);

const pl_language *pl_language_by_name(const char *name);

/*
 * Language for a file: by extension, else by the shebang in `head` (the first
 * bytes of the file, may be NULL). NULL if none.
 */
const pl_language *pl_language_for_path(const char *path, const char *head, size_t head_len);

#endif
