/*
 * ci: what the repository's CI does, and whether an eval gates each deploy.
 *
 * Per file (in the scan workers), pl_ci_collect reads a GitHub Actions
 * workflow or a GitLab CI file (config trees, tree.h) into a small model:
 * jobs, their `needs`, their steps, and for each step whether it deploys or
 * releases and whether it runs an eval suite (pl_ci_classifier: regexes
 * over `run:`/`script:` lines and `uses:` actions, compiled once a run).
 *
 * After the scan, pl_ci_analyse looks at all workflows together and emits
 * facts (facts.h):
 *   ci-workflow        a CI file (evidence: the file)
 *   ci-deploys         a step that deploys or releases
 *   ci-runs-evals      a step that runs evals
 *   ci-deploy-gated    a deploy that an eval must pass before
 *   ci-deploy-ungated  a deploy nothing evaluates first (the detail says why)
 * An eval gates a deploy when it runs earlier in the deploying job, in a
 * job the deploying job needs (transitively; in GitLab, without `needs`, a
 * job in an earlier stage, unless it is allowed to fail), or anywhere in a
 * workflow whose completion triggers the deploying workflow (`on:
 * workflow_run`) when the deploying job checks that it succeeded.
 */
#ifndef PL_CI_H
#define PL_CI_H

#include <jansson.h>
#include <stddef.h>

#include "config/tree.h"
#include "facts/facts.h"

typedef struct pl_ci_classifier pl_ci_classifier;

pl_ci_classifier *pl_ci_classifier_new(void);
void pl_ci_classifier_delete(pl_ci_classifier *c);

/* The collected CI of a repository; filled per file, analysed once. */
typedef struct pl_ci pl_ci;

pl_ci *pl_ci_new(void);
void pl_ci_delete(pl_ci *ci);
/* Move every workflow of `from` into `to` (in call order: the caller keeps file order). */
void pl_ci_take(pl_ci *to, pl_ci *from);

/* Read a github-actions or gitlab-ci config into `ci`; other kinds are ignored. */
void pl_ci_collect(pl_ci *ci, const pl_ci_classifier *cls, const pl_config *cfg, const char *path);

/* Emit the facts above for everything collected. */
void pl_ci_analyse(const pl_ci *ci, pl_facts *out);

/*
 * The model as JSON (for the per-file cache, src/cache/), and back:
 * pl_ci_read_json appends the workflows of `json` to `ci` and returns 0, or
 * -1 when `json` is not what pl_ci_to_json writes (what was read so far
 * stays; the caller discards `ci`). The caller owns the returned JSON.
 */
json_t *pl_ci_to_json(const pl_ci *ci);
int pl_ci_read_json(pl_ci *ci, const json_t *json);

/*
 * One model over several, without copying: the view borrows every
 * workflow of `parts` (which must outlive it and stay unchanged) and is
 * freed with pl_ci_view_delete, never pl_ci_delete. A targeted scan
 * analyses the same unchanged files with the changed files as they are now
 * and as they were before.
 */
pl_ci *pl_ci_view_new(const pl_ci *const *parts, size_t nparts);
void pl_ci_view_delete(pl_ci *view);

#endif
