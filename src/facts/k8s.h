/*
 * k8s: relations between Kubernetes objects that no single document shows.
 *
 * Per file, pl_k8s_collect keeps what it needs of each workload (kind,
 * name, namespace, replicas, pod template labels) and each
 * PodDisruptionBudget (namespace, selector). After the scan, pl_k8s_analyse
 * emits, for every workload that runs more than one replica and that no
 * PodDisruptionBudget in its namespace selects, the fact
 *   k8s-workload-without-pdb   (evidence: the workload's `kind:` line)
 * A voluntary disruption (node drain, cluster upgrade) may then take all of
 * its pods down at once.
 */
#ifndef PL_K8S_FACTS_H
#define PL_K8S_FACTS_H

#include <jansson.h>

#include "config/tree.h"
#include "facts/facts.h"

typedef struct pl_k8s pl_k8s;

pl_k8s *pl_k8s_new(void);
void pl_k8s_delete(pl_k8s *k);
void pl_k8s_take(pl_k8s *to, pl_k8s *from);
void pl_k8s_collect(pl_k8s *k, const pl_config *cfg, const char *path);
void pl_k8s_analyse(const pl_k8s *k, pl_facts *out);

/* JSON for the per-file cache and views over several models, as in ci.h. */
json_t *pl_k8s_to_json(const pl_k8s *k);
int pl_k8s_read_json(pl_k8s *k, const json_t *json);
pl_k8s *pl_k8s_view_new(const pl_k8s *const *parts, size_t nparts);
void pl_k8s_view_delete(pl_k8s *view);

#endif
