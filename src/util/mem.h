/*
 * mem: one allocator for prodlint and its libraries, and the memory ceiling.
 *
 * pl_mem_init, called once at the start of main before any library
 * allocates, routes tree-sitter (ts_set_allocator), jansson
 * (json_set_alloc_funcs) and libgit2 (GIT_OPT_SET_ALLOCATOR) through
 * xalloc; libcyaml takes pl_mem_cyaml as the mem_fn of every cyaml_config
 * (rule/yaml_doc.c), PCRE2 a general context (util/regex.c), and libyaml,
 * which has no hook, has its allocation functions interposed (mem.c). So a
 * failed allocation, or one past the ceiling, exits 3 with a message
 * wherever it happens, instead of tree-sitter's abort() or an error code a
 * caller could take for "no match" or "invalid rule file".
 *
 * The ceiling (pl_xalloc_set_limit) defaults to pl_mem_default_limit();
 * PRODLINT_MAX_MEMORY and `--max-memory` override it, in SIZE syntax.
 */
#ifndef PL_MEM_H
#define PL_MEM_H

#include <dirent.h>
#include <stddef.h>

void pl_mem_init(void);

/*
 * libc calls that allocate inside and say so only by errno: their ENOMEM
 * is out of memory too (pl_oom), not "no such path" (a config silently
 * not found) or an unreadable directory. Otherwise as realpath(path, NULL)
 * and opendir(path).
 */
char *pl_xrealpath(const char *path);
DIR *pl_xopendir(const char *path);

/* libcyaml's cyaml_mem_fn_t: realloc through xalloc; size 0 frees. */
void *pl_mem_cyaml(void *ctx, void *ptr, size_t size);

/*
 * A SIZE: a whole number of bytes, or with a binary suffix K, M, G or T
 * (any case, optionally followed by "B" or "iB"): "512M", "2GiB". "0" means
 * no ceiling. Returns 0, or -1 if `s` is not a size.
 */
int pl_mem_parse_size(const char *s, size_t *out);

/*
 * The default ceiling: half the memory the process may use (physical RAM,
 * or its cgroup's memory limit when lower), at most 4 GiB. A scan's peak
 * is bounded by the files in flight (a few hundred MiB for the largest
 * allowed files), so this only stops a runaway, early enough that the
 * kernel's OOM killer (a SIGKILL, no message) never gets to.
 */
size_t pl_mem_default_limit(void);

#endif
