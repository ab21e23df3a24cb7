/*
 * ts_tree: what the tree-sitter based readers (YAML, JSON, TOML) share.
 * Private to src/config/.
 */
#ifndef PL_CONFIG_TS_TREE_H
#define PL_CONFIG_TS_TREE_H

#include <tree_sitter/api.h>

#include "config/tree.h"

/* Give `out` the 1-based start and end position of syntax node `n`. */
void pl_node_position(pl_node *out, TSNode n);

/*
 * The first ERROR or MISSING node in document order, for the message of a
 * file that does not parse. Iterative, and it only descends into subtrees
 * that hold an error, so a deep broken file costs neither stack nor a full
 * walk. Returns `root` if none is found.
 */
TSNode pl_ts_first_error(TSNode root);

#endif
