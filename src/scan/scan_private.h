/* Shared by the files of src/scan/ only. */
#ifndef PL_SCAN_PRIVATE_H
#define PL_SCAN_PRIVATE_H

#include <stddef.h>

#include "scan/scan.h"


/* Config checks over one file (config_scan.c). */
void pl_scan_config(const pl_scan_context *ctx, const pl_file *file, const char *text, size_t len,
		    pl_file_output *out);

/* The prodlint.dev/ignore annotations of a config file's documents (config_scan.c). */
void pl_scan_config_suppressions(TSParser *parser, const pl_file *file, const char *text,
				 size_t len, pl_suppressions *out);

/* A file's suppressions: its comments, and its documents' annotations (scan.c). */
void pl_scan_collect_suppressions(TSParser *parser, const pl_file *file, const char *text,
				  size_t len, pl_suppressions *out);

/*
 * Presence-only facts (settle.c). A run's repo rules need only one piece
 * of evidence for a fact they name in `unless` or `require` alone (never
 * in `when`, `at` or a message): a file scanned after the fact was seen
 * skips the queries defining it, and its output lists the fact as
 * unchecked. The answer is the same whatever the order of the files; a
 * cached output that lists a fact no file of a later run shows is scanned
 * again in full (scan_run.c).
 */
/* NULL when no fact of the rules is presence-only. */
pl_fact_settling *pl_fact_settling_new(const pl_ruleset *rules);
void pl_fact_settling_delete(pl_fact_settling *s);
/* Is the fact presence-only, and seen by some file already? */
bool pl_fact_settled(const pl_fact_settling *s, const char *fact);
/* A file showed the fact / these facts (threads may race: a flag). */
void pl_fact_settling_saw(pl_fact_settling *s, const char *fact);
void pl_fact_settling_saw_all(pl_fact_settling *s, const pl_facts *facts);

#endif
