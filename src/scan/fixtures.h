/*
 * fixtures: prove rules against annotated example files (SPEC 5).
 *
 * A rule `cat/name` is tested by the files under <dir>/cat/name/. In a
 * fixture, a comment line `ruleid: cat/name` (in the language's comment
 * syntax) says the next code line must be flagged by that rule, and
 * `ok: cat/name` that it must not be. Every finding on a line without a
 * `ruleid:` annotation is a failure (a false positive), and so is every
 * `ruleid:` line without one. Each language a rule claims needs at least
 * one line that fires and one that stays silent, so no rule ships unproven.
 *
 * Inline suppressions (suppress.h) are applied as in a scan, so a fixture
 * may show `prodlint-ignore` silencing a line marked `ok:`. Any other
 * comment line counts as the next code line for an annotation, so put the
 * suppression at the end of the code line, or `ok:` between the
 * suppression and the code. The suppression engine's meta rules
 * (meta/suppression-*, no matcher) are tested by files in any language
 * with comments, scanned with every loaded rule; only the meta rule's own
 * findings are compared, and the suppression comment itself is the line a
 * `ruleid:` annotation points at.
 */
#ifndef PL_FIXTURES_H
#define PL_FIXTURES_H

#include <stddef.h>

#include "rule/rule.h"
#include "util/strbuf.h"

typedef struct pl_fixture_summary {
	size_t rules_passed, rules_failed;
	size_t expectations;       /* ruleid + ok annotations checked */
} pl_fixture_summary;

/*
 * Test every rule in `rules` against its fixtures under the first of `dirs`
 * that has a directory for it. A report (one line per rule, then the
 * failures as path:line: message) is appended to `out`.
 */
void pl_fixtures_run(const pl_ruleset *rules, const char *const *dirs, size_t ndirs,
		     pl_strbuf *out, pl_fixture_summary *summary);

#endif
