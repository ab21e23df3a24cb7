/*
 * LeakSanitizer's built-in suppressions, linked into every fuzz target.
 *
 * tree-sitter's query parser (0.25.1, and upstream as of writing) returns
 * TSQueryErrorField for a field name the grammar lacks without freeing the
 * capture list it built for that field's sub-pattern (`(call f: (x) @c)`
 * with no field `f`): a few bytes per bad query, in a rule file prodlint
 * refuses (exit 2) anyway. Only allocations made in those two helpers are
 * hidden; a leaked TSQuery is still reported through the query object
 * ts_query_new allocates itself.
 */
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:capture_quantifiers_add_all\n"
	       "leak:capture_quantifiers_add_for_id\n";
}
