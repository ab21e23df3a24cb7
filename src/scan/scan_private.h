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

#endif
