#include "config/ts_tree.h"

#include <stdbool.h>

void pl_node_position(pl_node *out, TSNode n)
{
	TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
	out->line = s.row + 1;
	out->col = s.column + 1;
	out->end_line = e.row + 1;
	out->end_col = e.column + 1;
}

TSNode pl_ts_first_error(TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	TSNode found = root;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (ts_node_is_error(n) || ts_node_is_missing(n)) {
			found = n;
			break;
		}
		if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur))
			continue;
		bool moved = false;
		while (!(moved = ts_tree_cursor_goto_next_sibling(&cur)))
			if (!ts_tree_cursor_goto_parent(&cur))
				break;
		if (!moved)
			break;
	}
	ts_tree_cursor_delete(&cur);
	return found;
}
