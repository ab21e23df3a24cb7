/*
 * path: selecting nodes of a config tree by path.
 *
 * Syntax: segments separated by '.', each one of
 *   name        a mapping key ("spec", "containers")
 *   ["a.b/c"]   a key with any characters (dots, slashes) in quotes
 *   *           every value of a mapping, every item of a sequence
 *   [*]         every item of a sequence
 *   [N]         item N of a sequence (0-based)
 *   **          this node and every node below it, at any depth
 * and a path may start with a root other than the node it is applied to:
 *   $doc        the document's root
 *   $pod        the pod spec of a Kubernetes workload, wherever its kind
 *               keeps it (Pod: spec; Deployment, StatefulSet, DaemonSet,
 *               ReplicaSet, ReplicationController, Job, Argo Rollout:
 *               spec.template.spec; CronJob: spec.jobTemplate.spec.template.spec)
 * The empty path "" (or ".") is the node itself.
 *
 * Evaluation visits nodes depth-first in document order. It is bounded: a
 * YAML alias shares nodes, so `**` over an alias bomb could reach an
 * exponential number of paths; every evaluation draws on a visit budget and
 * reports when it ran out (the caller turns that into an incomplete scan).
 */
#ifndef PL_CONFIG_PATH_H
#define PL_CONFIG_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "config/tree.h"

typedef struct pl_path pl_path;

/* NULL + message (with the offending character offset) on a syntax error. */
pl_path *pl_path_compile(const char *src, char *err, size_t err_size, size_t *err_offset);
void pl_path_delete(pl_path *p);
/* The source text, as written. */
const char *pl_path_source(const pl_path *p);

/* Where evaluation starts from and how much work it may do. */
typedef struct pl_path_env {
	const pl_node *doc;      /* the document root ($doc) */
	size_t budget;           /* node visits left; decremented; 0 = exhausted */
} pl_path_env;

/* The pod spec of a Kubernetes workload document, or NULL. */
const pl_node *pl_k8s_pod_spec(const pl_node *doc);

/*
 * Call fn for every node the path reaches from `base` (with the pair it was
 * reached through, or NULL for sequence items and roots). fn returns false
 * to stop early; fn may be NULL to only count visits. Returns false if the
 * budget ran out.
 */
typedef bool (*pl_path_fn)(void *ctx, const pl_node *node, const pl_pair *via);
bool pl_path_each(const pl_path *p, const pl_node *base, pl_path_env *env, pl_path_fn fn, void *ctx);

/*
 * For a path that reaches nothing: the deepest node it did reach (where a
 * missing key should be reported), and through which pair. Paths with
 * wildcards answer for their first branch.
 */
const pl_node *pl_path_deepest(const pl_path *p, const pl_node *base, pl_path_env *env,
			       const pl_pair **via);

#endif
