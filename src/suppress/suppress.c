/* Inline suppressions: finding them, reading them, applying them (suppress.h). */
#include "suppress/suppress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MARKER_LEN (sizeof(PL_SUPPRESS_MARKER) - 1)

/* --- small text helpers ---------------------------------------------------- */

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || n < m)
		return NULL;
	for (const char *p = hay, *end = hay + n - m; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, m) == 0)
			return p;
	}
	return NULL;
}

static size_t line_start(const char *text, size_t off)
{
	while (off > 0 && text[off - 1] != '\n')
		off--;
	return off;
}

static size_t line_end(const char *text, size_t len, size_t off)
{
	while (off < len && text[off] != '\n')
		off++;
	return off;
}



/* A token for a message: at most 40 bytes, cut with "...". */
static void add_quoted(pl_strbuf *sb, const char *s, size_t n)
{
	pl_strbuf_addch(sb, '`');
	if (n > 40) {
		pl_strbuf_add(sb, s, 37);
		pl_strbuf_adds(sb, "...");
	} else {
		pl_strbuf_add(sb, s, n);
	}
	pl_strbuf_addch(sb, '`');
}

/* --- dates ------------------------------------------------------------------ */

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int pl_date_parse(const char *s, size_t n, int *out)
{
	if (n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	int v[3] = { 0, 0, 0 };
	static const int at[3][2] = { { 0, 4 }, { 5, 2 }, { 8, 2 } };
	for (int k = 0; k < 3; k++) {
		for (int i = at[k][0]; i < at[k][0] + at[k][1]; i++) {
			if (!isdigit((unsigned char)s[i]))
				return -1;
			v[k] = v[k] * 10 + (s[i] - '0');
		}
	}
	if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return -1;
	*out = v[0] * 10000 + v[1] * 100 + v[2];
	return 0;
}

int pl_suppress_today(int *out)
{
	time_t now = time(NULL);
	struct tm tm;
	if (localtime_r(&now, &tm))
		*out = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	else
		*out = 19700101;
	const char *env = getenv("PRODLINT_TODAY");
	if (!env || !*env)
		return 0;
	return pl_date_parse(env, strlen(env), out);
}

static void add_date(pl_strbuf *sb, int date)
{
	pl_strbuf_addf(sb, "%04d-%02d-%02d", date / 10000, date / 100 % 100, date % 100);
}

/* --- parsing the directive -------------------------------------------------- */

static void set_problem(pl_suppression *s, pl_strbuf *msg)
{
	if (!s->problem)
		s->problem = pl_strbuf_detach(msg);
	else
		pl_strbuf_release(msg);
}

static void problem_s(pl_suppression *s, const char *text)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, text);
	set_problem(s, &sb);
}

static size_t skip_blanks(const char *t, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)t[i]))
		i++;
	return i;
}

static size_t token_end(const char *t, size_t n, size_t i)
{
	while (i < n && !isspace((unsigned char)t[i]))
		i++;
	return i;
}

static void parse_date(pl_suppression *s, const char *d, size_t n)
{
	if (pl_date_parse(d, n, &s->until) < 0) {
		s->until = 0;
		pl_strbuf sb = PL_STRBUF_INIT;
		pl_strbuf_adds(&sb, "invalid date ");
		add_quoted(&sb, d, n);
		pl_strbuf_adds(&sb, " after `until`: expected a real date as YYYY-MM-DD");
		set_problem(s, &sb);
	}
}

/* The reason, and an `until DATE` that ends it (a date starts with a digit,
 * so "-- wait until the gateway ships" stays a plain reason). */
static void parse_reason(pl_suppression *s, const char *t, size_t n)
{
	size_t b = skip_blanks(t, n, 0), e = n;
	while (e > b && isspace((unsigned char)t[e - 1]))
		e--;
	size_t last = e;
	while (last > b && !isspace((unsigned char)t[last - 1]))
		last--;
	if (last > b && last < e && isdigit((unsigned char)t[last])) {
		size_t pe = last;
		while (pe > b && isspace((unsigned char)t[pe - 1]))
			pe--;
		size_t ps = pe;
		while (ps > b && !isspace((unsigned char)t[ps - 1]))
			ps--;
		if (pe - ps == 5 && memcmp(t + ps, "until", 5) == 0) {
			parse_date(s, t + last, e - last);
			e = ps;
			while (e > b && isspace((unsigned char)t[e - 1]))
				e--;
		}
	}
	if (e > b)
		s->reason = pl_xstrndup(t + b, e - b);
}

void pl_suppression_parse(pl_suppression *s, const char *t, size_t n)
{
	size_t i = skip_blanks(t, n, 0);
	if (i == n || (n - i >= 2 && t[i] == '-' && t[i + 1] == '-')) {
		problem_s(s, "no rule to suppress: write `prodlint-ignore <rule id, category or glob>"
			     " -- <reason>`");
		return;
	}
	size_t last_s = i, last_e = i;
	for (;;) {
		size_t st = i;
		while (i < n && !isspace((unsigned char)t[i]) && t[i] != ',')
			i++;
		if (i == st || (i - st >= 2 && t[st] == '-' && t[st + 1] == '-')) {
			problem_s(s, "empty pattern in the list: separate rule ids, categories or globs "
				     "with single commas");
			return;
		}
		s->patterns = pl_xrealloc(s->patterns, (s->npatterns + 1) * sizeof(char *));
		s->patterns[s->npatterns++] = pl_xstrndup(t + st, i - st);
		last_s = st;
		last_e = i;
		size_t j = skip_blanks(t, n, i);
		if (j < n && t[j] == ',') {
			i = skip_blanks(t, n, j + 1);
			if (i == n) {
				problem_s(s, "the pattern list ends with `,`");
				return;
			}
			continue;
		}
		i = j;
		break;
	}
	if (i == n)
		return; /* no reason: reported, but it suppresses */
	if (n - i >= 2 && t[i] == '-' && t[i + 1] == '-') {
		parse_reason(s, t + i + 2, n - i - 2);
		return;
	}
	size_t te = token_end(t, n, i);
	if (te - i == 5 && memcmp(t + i, "until", 5) == 0) {
		size_t ds = skip_blanks(t, n, te), de = token_end(t, n, ds);
		if (ds == n) {
			problem_s(s, "`until` needs a date (YYYY-MM-DD)");
			return;
		}
		parse_date(s, t + ds, de - ds);
		if (skip_blanks(t, n, de) < n)
			problem_s(s, "put `until YYYY-MM-DD` after the reason: "
				     "`prodlint-ignore <pattern> -- <reason> until YYYY-MM-DD`");
		return;
	}
	pl_strbuf sb = PL_STRBUF_INIT;
	pl_strbuf_adds(&sb, "expected `,` or `-- <reason>` after ");
	add_quoted(&sb, t + last_s, last_e - last_s);
	pl_strbuf_adds(&sb, ", found ");
	add_quoted(&sb, t + i, te - i);
	set_problem(s, &sb);
}

static void suppression_release(pl_suppression *s)
{
	for (size_t i = 0; i < s->npatterns; i++)
		free(s->patterns[i]);
	free(s->patterns);
	free(s->reason);
	free(s->problem);
	free(s->snippet);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

void pl_suppressions_release(pl_suppressions *list)
{
	for (size_t i = 0; i < list->len; i++)
		suppression_release(&list->items[i]);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static pl_suppression *push(pl_suppressions *list)
{
	PL_GROW(list->items, list->cap, list->len + 1);
	pl_suppression *s = &list->items[list->len++];
	memset(s, 0, sizeof(*s));
	return s;
}

/* --- finding comments --------------------------------------------------------- */

typedef struct comment_scan {
	const pl_language *lang;
	const char *text;
	size_t len;
	TSNode root;             /* null node when there is no tree (Dockerfile) */
	bool has_tree;
} comment_scan;

static bool is_comment_type(const char *type)
{
	size_t n = strlen(type);
	return n >= 7 && strcmp(type + n - 7, "comment") == 0; /* comment, html_comment, ... */
}

/* The comment node holding bytes [off, off + n), if any. */
static bool comment_at(const comment_scan *cs, size_t off, size_t n, size_t *start, size_t *end)
{
	if (cs->has_tree) {
		TSNode node = ts_node_descendant_for_byte_range(cs->root, (uint32_t)off,
								 (uint32_t)(off + n));
		for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
			if (is_comment_type(ts_node_type(node))) {
				*start = ts_node_start_byte(node);
				*end = ts_node_end_byte(node);
				return true;
			}
		}
		return false;
	}
	/* By hand (Dockerfile): a line whose first non-blank character starts a comment. */
	size_t ls = line_start(cs->text, off), i = ls;
	while (i < off && is_blank_char(cs->text[i]))
		i++;
	size_t cl = strlen(cs->lang->line_comment);
	if (cs->len - i < cl || memcmp(cs->text + i, cs->lang->line_comment, cl) != 0 || i > off)
		return false;
	*start = i;
	*end = line_end(cs->text, cs->len, off);
	return true;
}

/*
 * Does the marker at `m` directly follow a comment delimiter (`#`, `//`,
 * `/` + `*`, `/` + `**`) inside the comment [cs, m)? Whatever precedes that delimiter
 * in the same comment is another tool's business (`# noqa # prodlint-...`).
 */
static bool after_delimiter(const char *text, size_t cstart, size_t m, const char *line_comment)
{
	size_t i = m;
	while (i > cstart && is_blank_char(text[i - 1]))
		i--;
	if (strcmp(line_comment, "#") == 0)
		return i > cstart && text[i - 1] == '#';
	if (i >= cstart + 2 && text[i - 1] == '/' && text[i - 2] == '/')
		return true;
	size_t stars = i;
	while (stars > cstart && text[stars - 1] == '*')
		stars--;
	return stars < i && stars > cstart && text[stars - 1] == '/';
}

static unsigned line_of(const char *text, size_t off, size_t *cache_off, unsigned *cache_line)
{
	/* Offsets come in increasing order: count on from the last one. */
	for (size_t i = *cache_off; i < off; i++)
		if (text[i] == '\n')
			(*cache_line)++;
	*cache_off = off;
	return *cache_line;
}

static void add_comment(comment_scan *cs, pl_suppressions *out, size_t cstart, size_t cend,
			size_t m, unsigned line, const char *problem)
{
	const char *text = cs->text;
	size_t ls = line_start(text, m);
	size_t le = line_end(text, cs->len, m);
	bool block = cend - cstart >= 2 && text[cstart] == '/' && text[cstart + 1] == '*';
	/* The directive runs to the end of the comment (before a block's closing
	 * delimiter) or to the next marker written after a delimiter. */
	size_t dend = cend;
	if (block && dend - cstart >= 4 && text[dend - 1] == '/' && text[dend - 2] == '*')
		dend -= 2;
	const char *next = text + m + MARKER_LEN;
	while ((next = find_bytes(next, dend - (size_t)(next - text), PL_SUPPRESS_MARKER,
				  MARKER_LEN)) != NULL) {
		if (after_delimiter(text, cstart, (size_t)(next - text), cs->lang->line_comment)) {
			dend = (size_t)(next - text);
			while (dend > m && is_blank_char(text[dend - 1]))
				dend--;
			while (dend > m && strchr("#/*", text[dend - 1]))
				dend--; /* back over the delimiter */
			break;
		}
		next += MARKER_LEN;
	}
	pl_suppression *s = push(out);
	s->line = s->end_line = line;
	size_t from = cstart >= ls ? cstart : m;
	s->column = (unsigned)(from - ls) + 1;
	size_t to = dend < le ? dend : le;
	while (to > m && is_blank_char(text[to - 1]))
		to--;
	s->end_column = (unsigned)(to - ls) + 1;
	s->snippet = pl_text_line_at(text, cs->len, m);
	s->text = pl_text_normalised(text + m, dend - m);
	if (problem)
		s->problem = pl_xstrdup(problem);
	else if (memchr(text + m, '\n', dend - m))
		s->problem = pl_xstrdup("a suppression must fit on one line: use a line comment or "
					"`/* ... */` on one line");
	else
		pl_suppression_parse(s, text + m + MARKER_LEN, dend - m - MARKER_LEN);

	/* Alone on its line (nothing but blanks before the comment): it also covers the
	 * next line that is neither blank nor a comment. */
	s->first_line = s->last_line = line;
	bool alone = cstart >= ls;
	for (size_t i = ls; i < cstart && alone; i++)
		alone = is_blank_char(text[i]);
	if (!alone)
		return;
	/* From the end of the comment's last line, line by line. */
	size_t pos = line_end(text, cs->len, cend > m ? cend - 1 : m);
	unsigned l = line;
	for (size_t k = m; k < pos; k++)
		l += text[k] == '\n';
	while (pos < cs->len) {
		pos++; /* past the '\n': the start of line l + 1 */
		l++;
		size_t i = pos;
		while (i < cs->len && is_blank_char(text[i]))
			i++;
		if (i >= cs->len)
			break;
		if (text[i] == '\n') {
			pos = i;
			continue;
		}
		size_t c0, c1;
		if (!comment_at(cs, i, 1, &c0, &c1) || c0 < pos) {
			s->next_line = l;
			break;
		}
		/* A comment; a block comment may run over several lines. Code after it
		 * on its last line makes that line the target. */
		size_t stop = line_end(text, cs->len, c1 > i ? c1 - 1 : i);
		for (size_t k = pos; k < stop; k++)
			if (text[k] == '\n')
				l++;
		size_t r = c1;
		while (r < stop && is_blank_char(text[r]))
			r++;
		if (r < stop) {
			s->next_line = l;
			break;
		}
		pos = stop;
	}
}

void pl_suppress_scan_comments(TSParser *parser, const pl_language *lang, const char *text,
			       size_t len, pl_suppressions *out)
{
	if (!lang->line_comment || !find_bytes(text, len, PL_SUPPRESS_MARKER, MARKER_LEN))
		return;
	comment_scan cs = { .lang = lang, .text = text, .len = len };
	TSTree *tree = NULL;
	if (lang->grammar) {
		/* No tree, no suppressions: the findings stay, which is the safe side. */
		if (!parser || !ts_parser_set_language(parser, lang->grammar()))
			return;
		tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
		if (!tree)
			return;
		cs.root = ts_tree_root_node(tree);
		cs.has_tree = true;
	}
	size_t cache_off = 0;
	unsigned cache_line = 1;
	const char *p = text;
	while ((p = find_bytes(p, len - (size_t)(p - text), PL_SUPPRESS_MARKER, MARKER_LEN)) != NULL) {
		size_t m = (size_t)(p - text);
		p += MARKER_LEN;
		char after = m + MARKER_LEN < len ? text[m + MARKER_LEN] : '\n';
		const char *problem = NULL;
		if (!isspace((unsigned char)after) && after != ':')
			continue; /* another word: prodlint-ignored, prodlint-ignore-x */
		if (after == ':')
			problem = "write `prodlint-ignore <pattern> -- <reason>`, without `:`";
		size_t cstart, cend;
		if (!comment_at(&cs, m, MARKER_LEN, &cstart, &cend)) {
			if (cs.has_tree)
				continue; /* a string, template or regex literal */
			/* Dockerfile: `RUN x  # prodlint-ignore` is shell text, not a comment; say so. */
			size_t ls = line_start(text, m), i = m;
			while (i > ls && is_blank_char(text[i - 1]))
				i--;
			if (i > ls && text[i - 1] == '#') {
				cstart = i - 1;
				cend = line_end(text, len, m);
				add_comment(&cs, out, cstart, cend, m, line_of(text, m, &cache_off, &cache_line),
					    "Dockerfiles have no trailing comments: put the suppression "
					    "on its own line above");
			}
			continue;
		}
		if (!after_delimiter(text, cstart, m, lang->line_comment))
			continue; /* prose that mentions the marker */
		add_comment(&cs, out, cstart, cend, m, line_of(text, m, &cache_off, &cache_line),
			    problem);
	}
	if (tree)
		ts_tree_delete(tree);
}

/* --- annotations ------------------------------------------------------------- */

static size_t offset_of_line(const char *text, size_t len, unsigned line)
{
	size_t off = 0;
	for (unsigned l = 1; l < line && off < len; off++)
		if (text[off] == '\n')
			l++;
	return off;
}

void pl_suppress_add_annotation(pl_suppressions *out, const pl_node *doc, const char *text,
				size_t len)
{
	if (!doc || doc->kind != PL_NODE_MAPPING)
		return;
	const pl_node *meta = pl_node_get(doc, "metadata");
	const pl_node *ann = meta && meta->kind == PL_NODE_MAPPING ? pl_node_get(meta, "annotations")
								   : NULL;
	const pl_pair *pair = ann && ann->kind == PL_NODE_MAPPING
				      ? pl_node_get_pair(ann, PL_SUPPRESS_ANNOTATION)
				      : NULL;
	if (!pair)
		return;
	pl_suppression *s = push(out);
	s->annotation = true;
	s->line = pair->key_line ? pair->key_line : 1;
	s->column = pair->key_line ? pair->key_col : 1;
	const pl_node *v = pair->value;
	if (v && v->end_line == s->line) {
		s->end_line = v->end_line;
		s->end_column = v->end_col;
	} else {
		s->end_line = s->line;
		s->end_column = s->column + (unsigned)strlen(PL_SUPPRESS_ANNOTATION);
	}
	s->snippet = pl_text_line_at(text, len, offset_of_line(text, len, s->line));
	s->first_line = doc->line;
	s->last_line = doc->end_line > doc->line ? doc->end_line : doc->line;
	pl_strbuf t = PL_STRBUF_INIT;
	pl_strbuf_adds(&t, PL_SUPPRESS_ANNOTATION ": ");
	if (v && v->kind == PL_NODE_SCALAR && v->type == PL_SCALAR_STRING) {
		pl_strbuf_add(&t, v->text, v->text_len);
		pl_suppression_parse(s, v->text, v->text_len);
	} else {
		s->problem = pl_xstrdup("the `" PL_SUPPRESS_ANNOTATION "` annotation must be a string: "
					"\"<pattern>[,<pattern>] -- <reason> [until YYYY-MM-DD]\"");
	}
	s->text = pl_text_normalised(t.buf, t.len);
	pl_strbuf_release(&t);
}

/* --- applying ------------------------------------------------------------------ */

void pl_suppress_config_init(pl_suppress_config *cfg, const pl_ruleset *rules, int today)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rules = rules;
	cfg->today = today;
	cfg->without_reason = pl_ruleset_find(rules, PL_RULE_SUPPRESSION_WITHOUT_REASON);
	cfg->expired = pl_ruleset_find(rules, PL_RULE_SUPPRESSION_EXPIRED);
	cfg->unused = pl_ruleset_find(rules, PL_RULE_UNUSED_SUPPRESSION);
	cfg->malformed = pl_ruleset_find(rules, PL_RULE_MALFORMED_SUPPRESSION);
}

static bool covers(const pl_suppression *s, unsigned line)
{
	return (line >= s->first_line && line <= s->last_line && s->first_line) ||
	       (s->next_line && line == s->next_line);
}

static bool selects(const pl_suppression *s, const pl_rule *rule)
{
	for (size_t i = 0; i < s->npatterns; i++)
		if (pl_rule_pattern_matches(s->patterns[i], rule))
			return true;
	return false;
}

static bool expired(const pl_suppress_config *cfg, const pl_suppression *s)
{
	return s->until && cfg->today > s->until;
}

/*
 * Can "matched nothing" be trusted? Only if every pattern selects at least
 * one rule that ran and whose findings were offered to the suppression (a
 * query or config rule; a repo rule when the repository phase's findings
 * were), and no rule that was dropped.
 * Fact definitions and the meta rules themselves never have findings a
 * suppression could hide, so they count neither way.
 */
static bool could_hide(const pl_rule *r)
{
	return !pl_rule_is_fact(r) && !pl_rule_id_is_engine(r->id);
}

static bool judgeable(const pl_suppress_config *cfg, const pl_suppression *s)
{
	const pl_ruleset *rs = cfg->rules;
	for (size_t p = 0; p < s->npatterns; p++) {
		bool ran = false;
		for (size_t i = 0; i < rs->len && !ran; i++) {
			const pl_rule *r = rs->rules[i];
			bool reports = r->matchers_len || r->config_matchers_len ||
				       (cfg->repo_findings && r->repo);
			ran = reports && could_hide(r) && pl_rule_pattern_matches(s->patterns[p], r);
		}
		if (!ran)
			return false;
		for (size_t i = 0; i < rs->ndropped; i++)
			if (could_hide(rs->dropped[i]) &&
			    pl_rule_pattern_matches(s->patterns[p], rs->dropped[i]))
				return false;
	}
	return true;
}

static void add_patterns(pl_strbuf *sb, const pl_suppression *s)
{
	pl_strbuf_addch(sb, '`');
	for (size_t i = 0; i < s->npatterns; i++)
		pl_strbuf_addf(sb, "%s%s", i ? ", " : "", s->patterns[i]);
	pl_strbuf_addch(sb, '`');
}

static void emit(pl_findings *out, const pl_rule *rule, const char *path,
		 const pl_suppression *s, pl_strbuf *msg)
{
	if (!rule) {
		pl_strbuf_release(msg);
		return;
	}
	pl_finding f = {
		.rule = rule,
		.path = pl_xstrdup(path),
		.line = s->line,
		.column = s->column,
		.end_line = s->end_line,
		.end_column = s->end_column,
		.message = pl_strbuf_detach(msg),
		.snippet = pl_xstrdup(s->snippet ? s->snippet : ""),
		.matched = pl_xstrdup(s->text ? s->text : ""),
	};
	pl_findings_push(out, &f);
}

size_t pl_suppress_apply(const pl_suppress_config *cfg, pl_suppressions *list,
			 pl_findings *findings)
{
	size_t kept = 0, suppressed = 0;
	for (size_t k = 0; k < findings->len; k++) {
		pl_finding *f = &findings->items[k];
		bool hide = false;
		for (size_t i = 0; i < list->len; i++) {
			pl_suppression *s = &list->items[i];
			if (s->problem || !covers(s, f->line) || !selects(s, f->rule))
				continue;
			s->hits++;
			hide |= !expired(cfg, s);
		}
		if (hide) {
			pl_finding_release(f);
			suppressed++;
		} else {
			findings->items[kept++] = *f;
		}
	}
	findings->len = kept;
	return suppressed;
}

void pl_suppress_report(const pl_suppress_config *cfg, const pl_suppressions *list,
			const char *path, bool complete, pl_findings *out)
{
	for (size_t i = 0; i < list->len; i++) {
		const pl_suppression *s = &list->items[i];
		pl_strbuf msg = PL_STRBUF_INIT;
		if (s->problem) {
			pl_strbuf_addf(&msg, "malformed suppression: %s", s->problem);
			emit(out, cfg->malformed, path, s, &msg);
			continue;
		}
		if (!s->reason) {
			pl_strbuf_adds(&msg, "suppression of ");
			add_patterns(&msg, s);
			pl_strbuf_adds(&msg, " gives no reason: add `-- <why it is safe>`");
			emit(out, cfg->without_reason, path, s, &msg);
		}
		if (expired(cfg, s)) {
			pl_strbuf_adds(&msg, "suppression of ");
			add_patterns(&msg, s);
			pl_strbuf_adds(&msg, " expired after ");
			add_date(&msg, s->until);
			if (s->hits)
				pl_strbuf_addf(&msg, ": the finding%s it hid %s reported again",
					       s->hits == 1 ? "" : "s", s->hits == 1 ? "is" : "are");
			emit(out, cfg->expired, path, s, &msg);
		} else if (!s->hits && complete && judgeable(cfg, s)) {
			pl_strbuf_adds(&msg, "suppression of ");
			add_patterns(&msg, s);
			pl_strbuf_adds(&msg, s->annotation ? " matches no finding in this document: remove it"
							   : " matches no finding: remove it");
			emit(out, cfg->unused, path, s, &msg);
		}
		pl_strbuf_release(&msg);
	}
}
