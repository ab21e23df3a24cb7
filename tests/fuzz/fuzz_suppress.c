/* Inline suppressions: the directive parser on the raw input, then the
 * comment scan of the input as a file (the first byte picks the language),
 * applied to one finding per line and judged (the meta findings). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "suppress/suppress.h"
#include "util/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every language with comments; the suppression scan compiles no query. */
static const char *const langs[] = { "python", "javascript", "typescript", "tsx",
				     "go",     "yaml",       "dockerfile", "toml" };
#define NLANGS (sizeof(langs) / sizeof(langs[0]))

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_rules(NULL, 0);
	return 0;
}

/* A finding of some rule on each of the first lines: enough for every
 * suppression to hit, miss, or name a rule that has none. */
static void add_findings(const pl_ruleset *rs, const char *text, size_t len, pl_findings *out)
{
	unsigned line = 1;
	for (size_t i = 0; i <= len && line <= 64; i++) {
		if (i < len && text[i] != '\n')
			continue;
		pl_finding f = {
			.rule = rs->rules[(line * 7u) % rs->len],
			.path = pl_xstrdup("src/file"),
			.line = line,
			.column = 1,
			.end_line = line,
			.end_column = 2,
			.message = pl_xstrdup("m"),
			.snippet = pl_xstrdup(""),
			.matched = pl_xstrdup(""),
		};
		pl_findings_push(out, &f);
		line++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pl_ruleset *rs = fuzz_rules(NULL, 0);
	const pl_suppress_config *cfg = fuzz_suppress_config();

	/* The directive alone, as after the marker or in an annotation. */
	pl_suppressions single = { pl_xcalloc(1, sizeof(pl_suppression)), 1, 1 };
	pl_suppression_parse(&single.items[0], (const char *)data, size);
	single.items[0].line = single.items[0].first_line = single.items[0].last_line = 1;
	pl_findings meta = PL_FINDINGS_INIT;
	pl_suppress_report(cfg, &single, "src/file", true, &meta);
	pl_findings_release(&meta);
	pl_suppressions_release(&single);
	int date;
	pl_date_parse((const char *)data, size, &date);

	if (size == 0)
		return 0;
	const pl_language *lang = fuzz_language(langs[data[0] % NLANGS]);
	/* Files are NUL-terminated when read; so is this copy (without the selector). */
	size_t len = size - 1;
	char *text = malloc(len + 1);
	memcpy(text, data + 1, len);
	text[len] = '\0';
	pl_suppressions list = PL_SUPPRESSIONS_INIT;
	pl_suppress_scan_comments(fuzz_parser(), lang, text, len, &list);
	pl_findings findings = PL_FINDINGS_INIT;
	add_findings(rs, text, len, &findings);
	pl_suppress_apply(cfg, &list, &findings);
	pl_suppress_report(cfg, &list, "src/file", !(data[0] & 0x80), &findings);
	pl_findings_finish(&findings);
	pl_findings_release(&findings);
	pl_suppressions_release(&list);
	free(text);
	fuzz_parser_release();
	return 0;
}
