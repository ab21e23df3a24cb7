/*
 * relax: a regex to search a whole file with, from one a predicate tests a
 * node's text with, for the prefilter.
 *
 * A #match? on a capture tests the text of one node, a piece of the file.
 * Its assertions (^, $, \b, lookarounds) look at the node's edges, which
 * the file does not show, so the regex itself cannot be run on the file.
 * Without them it can: every text a match of the original sits in holds a
 * match of the relaxed pattern. `^(requests|httpx)\.get$` relaxes to
 * `(requests|httpx)\.get`; a file with no match of that cannot satisfy the
 * predicate anywhere. This is sharper than the literal sets (literals.h):
 * `\.choices\s*\[\s*\d+\s*\]\s*\.\s*message` needs the pieces in that
 * order, not each somewhere.
 *
 * When the predicate's capture is a node whose edges are known (lang.h:
 * what may stand right before and after its text), `^` becomes a match of
 * a byte that may come before and `$` a lookahead for one that may come
 * after, instead of going: `^(delete|drop)` on a
 * JavaScript string_fragment searches for `delete` or `drop` right after a
 * quote, a `}`, a `;` or an escape, not anywhere in a word. A `^` that an
 * optional atom follows still goes, with the atoms (a search starting at
 * every letter of the file would be slow).
 */
#ifndef PL_RELAX_H
#define PL_RELAX_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/lang.h"
#include "util/strbuf.h"

/* Append the relaxed pattern to `out` and return true; false (out as it
 * was) for what is not relaxed safely: back-references, recursion and
 * subroutine calls, conditionals, \Q...\E, extended mode (x), verbs, or
 * an assertion with a quantifier. The result may need compiling to tell
 * whether it is valid; its flags and groups are the original's. `edges`:
 * those of the node the regex is tested on, or NULL. */
bool pl_regex_relax(const char *pattern, size_t len, const pl_node_edges *edges, pl_strbuf *out);

/* Append what may stand right before (`start`: a byte matched, so that a
 * search tries only where one is) or after (a lookahead) a node with these
 * edges; false (nothing appended) if it may be anything. */
bool pl_regex_add_edge(pl_strbuf *out, const pl_node_edges *edges, bool start);

/* Append the `len` bytes at s to match literally, in a pattern or in a
 * class: ASCII as \x{..} whatever the byte, the rest as it is (UTF-8 text,
 * for a pattern compiled in UTF mode; a pattern that then does not compile
 * tests nothing). */
void pl_regex_add_bytes(pl_strbuf *out, const char *s, size_t len);

#endif
