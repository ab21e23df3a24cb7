/*
 * cache: per-file scan results on disk, so a hook run parses only what changed.
 *
 * What a file yields before suppressions (findings, facts, errors, skip
 * notes, its CI and Kubernetes models, the presence-only facts it was not
 * checked for: pl_file_output) depends only on its path, its bytes and the
 * rules that ran (those facts aside, which scan_run.c rechecks). The cache stores exactly that,
 * under a key made of all of it; src/scan/ consults it through
 * pl_scan_cache after reading a file and applies suppressions afterwards
 * from the text, hit or miss, so expiry dates, --no-inline-suppressions and
 * the "unused suppression" notes are always judged fresh.
 *
 * Keys:
 *   generation  XXH3-128 of the entry format version, prodlint's version and
 *               build id (the GNU build-id note of the running binary, else
 *               a hash of the binary itself), the bytes of every loaded rule
 *               file (kept or dropped by --select/--ignore, sorted by path),
 *               and the ids of the rules that run. A new binary, an edited
 *               rule file or another selection is a new generation: old
 *               entries are never consulted again, and pruned later.
 *   entry       XXH3-128 of the generation, the file's path, its language,
 *               its config kind as the path decides it (a Helm values file
 *               is one because of a sibling Chart.yaml) and its bytes.
 *
 * Layout: <dir>/v<format>/<generation>/<2 hex>/<30 hex>, one compact JSON object
 * per file holding its key and path (checked on load), and the output with
 * findings' rules as ids (resolved against the run's rules on load; an
 * unknown id is a miss). <dir> is $XDG_CACHE_HOME/prodlint, else
 * ~/.cache/prodlint. Directories are created 0700 and entries 0600 (they
 * hold matched source text, for fingerprints).
 *
 * Invariants:
 *   - The cache is never inside the scanned repository: pl_cache_open
 *     refuses a directory inside the scan root or the git work tree that
 *     holds it.
 *   - Entries are written to a temporary file in their directory and
 *     renamed into place, so readers (other threads, concurrent runs) see a
 *     whole entry or none; racing writers of one key write the same bytes.
 *   - Anything unreadable, truncated or inconsistent is a miss, never an
 *     error; a cache that cannot be written only costs speed. After a few
 *     failed writes a run stops trying.
 *   - Pruning (at most once a day, by the run that closes the cache after
 *     writing): generations not used for 30 days go, and all but the 8 most
 *     recently used; then, if the entries left exceed 256 MiB, the least
 *     recently used entries go until they fit in 3/4 of that (an entry's
 *     mtime is refreshed when it is hit and more than a day old). Leftover
 *     temporary files older than an hour go too, and other format versions.
 *
 * Threads: pl_cache_load / pl_cache_store may be called concurrently; the
 * counters are atomic. Open and close from one thread.
 *
 * Usage:
 *   char *dir = pl_cache_default_dir();
 *   pl_cache *c = pl_cache_open(dir, &rules, root, &why);   // NULL: run without, *why says so
 *   pl_scan_cache hooks = pl_cache_hooks(c);
 *   opt.cache = &hooks;  pl_scan(...);
 *   pl_cache_stats st; pl_cache_get_stats(c, &st);
 *   pl_cache_close(c);                                       // may prune
 */
#ifndef PL_CACHE_H
#define PL_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "rule/rule.h"
#include "scan/scan.h"

/* Bumped whenever what an entry holds, or how keys are made, changes. */
#define PL_CACHE_FORMAT 2

typedef struct pl_cache pl_cache;

/* $XDG_CACHE_HOME/prodlint (if absolute), else $HOME/.cache/prodlint; NULL
 * when neither is usable. Caller frees. */
char *pl_cache_default_dir(void);

/*
 * Open the cache under `dir` for a run of `rules` (as they run: after
 * --select / --ignore) over `scan_root`. Returns NULL when it cannot be
 * used, with a static reason in *why (inside the scanned repository, no
 * directory). Nothing is created until the first store.
 */
pl_cache *pl_cache_open(const char *dir, const pl_ruleset *rules, const char *scan_root,
			const char **why);
/* Prune if due (see above), then free. NULL is fine. */
void pl_cache_close(pl_cache *c);

/* The hooks the scan calls (scan.h); valid while `c` is open. */
pl_scan_cache pl_cache_hooks(pl_cache *c);

/* Look up / record one file (what the hooks call). */
bool pl_cache_load(pl_cache *c, const pl_file *file, const char *text, size_t len,
		   pl_file_output *out);
void pl_cache_store(pl_cache *c, const pl_file *file, const char *text, size_t len,
		    const pl_file_output *out);

typedef struct pl_cache_stats {
	size_t hits, misses;
	size_t writes, write_errors;
	size_t corrupt;          /* entries that were there but unusable */
} pl_cache_stats;

void pl_cache_get_stats(const pl_cache *c, pl_cache_stats *out);
/* This run's generation directory (it may not exist yet). */
const char *pl_cache_generation_dir(const pl_cache *c);

typedef struct pl_cache_limits {
	uint64_t max_bytes;      /* entries beyond this are pruned, oldest use first */
	unsigned max_generations;
	time_t max_age;          /* seconds a generation may go unused */
} pl_cache_limits;

#define PL_CACHE_LIMITS_DEFAULT { (uint64_t)256 << 20, 8, (time_t)30 * 24 * 3600 }

/*
 * Prune the cache under `dir` as of `now` (see above); `keep` names a
 * generation (directory name) never to remove, or NULL. Returns the number
 * of entries and directories removed. For tests and pl_cache_close.
 */
size_t pl_cache_prune(const char *dir, time_t now, const pl_cache_limits *limits,
		      const char *keep);

#endif
