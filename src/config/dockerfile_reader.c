/*
 * Dockerfiles to the tree model, with a line parser of our own that follows
 * BuildKit's (moby/buildkit frontend/dockerfile/parser): parser directives
 * at the top (`# syntax=`, `# escape=`, `# check=`), comments, line
 * continuations (comment and blank lines inside one are skipped), heredocs
 * on RUN / COPY / ADD (also under ONBUILD), builder flags (`--platform=`),
 * and the exec (JSON array) form.
 *
 * One document, a root mapping:
 *
 *   directives:   {syntax: "...", escape: "`", check: "..."}   only those present
 *   instructions: [ {instruction: "RUN", value: "<arguments>", stage: 0,
 *                    flags: {mount: "...", ...},    only if the instruction has flags
 *                    form: "exec" | "shell",        RUN CMD ENTRYPOINT SHELL ADD COPY
 *                                                   VOLUME, HEALTHCHECK CMD
 *                    args: ["..."]}, ... ]          exec form: the decoded array
 *   stages:       [ {from: {ref, image, tag?, digest?, registry?, name?, platform?,
 *                           stage_ref?},
 *                    instructions: [...],           the same nodes as above
 *                    user: <the last USER's value scalar>}, ... ]
 *   final:        the last stage (the same node as the last item of stages)
 *
 * `value` is the argument text after the keyword, flags included. A
 * continuation joins the pieces as Docker does, except that whitespace
 * around the join is collapsed to one space (`a \` + `   b` reads "a b",
 * while `a\` + `b` stays "ab" as Docker builds it). A heredoc's body and
 * terminator lines are appended to the value, each after a "\n".
 * Instructions before the first FROM (global ARGs) have no `stage`.
 *
 * Positions: an instruction mapping spans from its keyword to the end of its
 * last line; each scalar sits on its own text (`stage` and a flag without a
 * value sit on the keyword / flag). A stage mapping starts at its FROM
 * keyword, so "no USER in the final stage" is reported there.
 *
 * Image references: `ref` is the word as written; a digest follows '@', a
 * tag the last ':' after the last '/' (so `localhost:5000/app` has none); a
 * first component holding '.' or ':' or equal to "localhost" is the
 * registry. A reference with '$' (an ARG such as `${BASE_IMAGE}`) is not
 * split: `image` is the whole text, without tag. When the image names an
 * earlier stage (`FROM builder`, compared case-insensitively as Docker
 * does) `stage_ref` holds that name, and image still holds the text.
 *
 * Errors (INVALID): an invalid or repeated parser directive and an
 * unterminated heredoc, which Docker rejects too. Unknown instructions and
 * malformed arguments are kept as written for rules to judge.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/reader.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* One physical line. Columns count from `base`, the true line start. */
typedef struct df_line {
	size_t base;             /* first byte of the line */
	size_t start;            /* first byte of content (after a BOM on line 1) */
	size_t end;              /* after the content, line terminator excluded */
	unsigned no;             /* 1-based */
} df_line;

/* Source position of one byte of a joined instruction. */
typedef struct lpos {
	unsigned line, col;
} lpos;

/* An instruction's text with its continuations joined, and where each byte came from. */
typedef struct joined {
	pl_strbuf sb;
	lpos *pos;               /* one per byte of sb, plus room for one more */
	size_t cap;
} joined;

typedef struct stage_name {
	const char *name;
	size_t len;
} stage_name;

typedef struct df_reader {
	pl_config *cfg;
	const char *text;
	size_t len;
	size_t next;             /* offset of the next unread line */
	unsigned line_no;        /* number of the last line read */
	unsigned last_end_col;   /* column after that line's content */
	char escape;
	pl_config_error *err;
	pl_config_status status;

	pl_node *root, *instructions, *stages, *directives;
	pl_node *stage;          /* current stage; NULL before the first FROM */
	pl_node *stage_instructions;
	pl_node *stage_user;     /* value of the stage's last USER */
	unsigned user_line, user_col;
	long stage_index;        /* -1 before the first FROM */
	stage_name *names;       /* AS names of the stages so far */
	size_t nnames, names_cap;
} df_reader;

static void fail(df_reader *r, unsigned line, unsigned col, const char *msg)
{
	if (r->status != PL_CONFIG_OK)
		return;
	r->status = PL_CONFIG_INVALID;
	r->err->line = line;
	r->err->col = col;
	snprintf(r->err->message, sizeof(r->err->message), "%s", msg);
}

/* BuildKit trims with unicode.IsSpace; the ASCII part is what Dockerfiles use. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equal_fold(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

static bool read_line(df_reader *r, df_line *l)
{
	if (r->next >= r->len)
		return false;
	size_t s = r->next;
	const char *nl = memchr(r->text + s, '\n', r->len - s);
	size_t e = nl ? (size_t)(nl - r->text) : r->len;
	r->next = nl ? e + 1 : r->len;
	l->base = l->start = s;
	while (e > s && r->text[e - 1] == '\r') /* CRLF, as trimNewline */
		e--;
	l->end = e;
	l->no = ++r->line_no;
	r->last_end_col = (unsigned)(e - s + 1);
	if (l->no == 1 && e - s >= 3 && memcmp(r->text + s, "\xEF\xBB\xBF", 3) == 0)
		l->start += 3; /* a UTF-8 BOM; columns still count its bytes */
	return true;
}

static unsigned col_of(const df_line *l, size_t off)
{
	return (unsigned)(off - l->base + 1);
}

/* --- joined text --------------------------------------------------------------- */

static void j_add(joined *j, const char *s, size_t n, unsigned line, unsigned col)
{
	PL_GROW(j->pos, j->cap, j->sb.len + n + 1);
	for (size_t k = 0; k < n; k++)
		j->pos[j->sb.len + k] = (lpos){ line, col + (unsigned)k };
	pl_strbuf_add(&j->sb, s, n);
}

/* Drop trailing blanks; true if there were any. */
static bool j_trim_blanks(joined *j)
{
	size_t n = j->sb.len;
	while (j->sb.len && (j->sb.buf[j->sb.len - 1] == ' ' || j->sb.buf[j->sb.len - 1] == '\t'))
		j->sb.len--;
	if (j->sb.cap)
		j->sb.buf[j->sb.len] = '\0';
	return j->sb.len != n;
}

static void j_release(joined *j)
{
	pl_strbuf_release(&j->sb);
	free(j->pos);
	j->pos = NULL;
	j->cap = 0;
}

/* --- nodes ------------------------------------------------------------------------ */

static pl_node *text_scalar(df_reader *r, const char *s, size_t n, lpos at, lpos end)
{
	pl_node *out = pl_node_new(r->cfg, PL_NODE_SCALAR);
	out->type = PL_SCALAR_STRING;
	out->text = pl_arena_strndup(&r->cfg->arena, s, n);
	out->text_len = n;
	out->line = at.line;
	out->col = at.col;
	out->end_line = end.line;
	out->end_col = end.col;
	return out;
}

/* Where joined bytes [a, b) start and end; `dflt` for an empty range. */
static void span(const joined *j, size_t a, size_t b, lpos dflt, lpos *at, lpos *end)
{
	if (a >= j->sb.len || b <= a) {
		*at = *end = dflt;
		return;
	}
	*at = j->pos[a];
	*end = j->pos[b - 1];
	end->col++;
}

/* A scalar holding joined bytes [a, b) as written. */
static pl_node *range_scalar(df_reader *r, const joined *j, size_t a, size_t b, lpos dflt)
{
	lpos at, end;
	span(j, a, b, dflt, &at, &end);
	return text_scalar(r, j->sb.buf + a, b - a, at, end);
}

static void add(df_reader *r, pl_node *map, const char *key, pl_node *value, lpos key_at)
{
	pl_node_add_pair(r->cfg, map, key, strlen(key), key_at.line, key_at.col, value);
}

static void extend_to(pl_node *n, unsigned line, unsigned col)
{
	if (line > n->end_line || (line == n->end_line && col > n->end_col)) {
		n->end_line = line;
		n->end_col = col;
	}
}

/* --- parser directives ------------------------------------------------------- */

/*
 * `# name = value` at the top of the file (BuildKit's regex
 * `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on the left-trimmed line).
 * Returns true if the line is a known directive; the first line that is not
 * one ends the directive section.
 */
static bool directive(df_reader *r, const df_line *l, size_t s)
{
	const char *t = r->text;
	size_t e = l->end, i = s;
	if (i >= e || t[i] != '#')
		return false;
	i++;
	while (i < e && is_space(t[i]))
		i++;
	size_t ns = i;
	if (i >= e || !((lower(t[i]) >= 'a' && lower(t[i]) <= 'z')))
		return false;
	while (i < e && ((lower(t[i]) >= 'a' && lower(t[i]) <= 'z') || (t[i] >= '0' && t[i] <= '9')))
		i++;
	size_t ne = i;
	while (i < e && is_space(t[i]))
		i++;
	if (i >= e || t[i] != '=')
		return false;
	i++;
	while (i < e && is_space(t[i]))
		i++;
	size_t vs = i, ve = e;
	while (ve > vs && is_space(t[ve - 1]))
		ve--;
	if (vs >= ve)
		return false;
	static const char *const known[] = { "syntax", "escape", "check" };
	const char *name = NULL;
	for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (equal_fold(t + ns, ne - ns, known[k], strlen(known[k])))
			name = known[k];
	if (!name)
		return false;
	if (!r->directives) {
		r->directives = pl_node_new(r->cfg, PL_NODE_MAPPING);
		r->directives->line = l->no;
		r->directives->col = col_of(l, s);
		add(r, r->root, "directives", r->directives, (lpos){ l->no, col_of(l, s) });
	}
	extend_to(r->directives, l->no, col_of(l, l->end));
	if (pl_node_get(r->directives, name)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "only one %s parser directive can be used", name);
		fail(r, l->no, col_of(l, ns), msg);
		return true;
	}
	if (strcmp(name, "escape") == 0) {
		if (ve - vs != 1 || (t[vs] != '\\' && t[vs] != '`')) {
			fail(r, l->no, col_of(l, vs), "the escape directive must be \\ or `");
			return true;
		}
		r->escape = t[vs];
	}
	pl_node *v = text_scalar(r, t + vs, ve - vs, (lpos){ l->no, col_of(l, vs) },
				 (lpos){ l->no, col_of(l, ve) });
	add(r, r->directives, name, v, (lpos){ l->no, col_of(l, ns) });
	return true;
}

/* --- continuation and instruction text --------------------------------------- */

/*
 * Does [s, e) end in the escape character (blanks after it allowed)? Then
 * *piece_end is where the text before it ends. As in BuildKit, an escape
 * preceded by another escape is no continuation (`echo \\`).
 */
static bool continues(const df_reader *r, size_t s, size_t e, size_t *piece_end)
{
	const char *t = r->text;
	while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t'))
		e--;
	if (e > s && t[e - 1] == r->escape && (e - 1 == s || t[e - 2] != r->escape)) {
		*piece_end = e - 1;
		return true;
	}
	return false;
}

static bool blank_or_comment(const df_reader *r, const df_line *l)
{
	size_t i = l->start;
	while (i < l->end && is_space(r->text[i]))
		i++;
	return i >= l->end || r->text[i] == '#';
}

/* --- builder flags --------------------------------------------------------------- */

typedef struct df_flag {
	char *word;              /* processed (quotes and escapes removed), malloc'd */
	size_t len;
	size_t eq;               /* index of '=' in word, or SIZE_MAX */
	size_t raw_start, raw_eq, raw_end; /* joined offsets */
} df_flag;

/*
 * `--name[=value]` words at the start of the arguments, as BuildKit's
 * extractBuilderFlags reads them (quotes and backslashes processed, a bare
 * `--` ends them). Returns the offset where the remaining arguments start.
 */
static size_t extract_flags(const joined *j, size_t i, size_t e, df_flag **flags, size_t *nflags)
{
	const char *t = j->sb.buf;
	size_t cap = 0;
	*flags = NULL;
	*nflags = 0;
	for (;;) {
		while (i < e && is_space(t[i]))
			i++;
		if (i >= e || t[i] != '-' || i + 1 >= e || t[i + 1] != '-')
			return i;
		size_t start = i, raw_eq = SIZE_MAX, eq = SIZE_MAX;
		pl_strbuf w = PL_STRBUF_INIT;
		bool in_quote = false, blank_ok = false;
		char quote = 0;
		while (i < e) {
			char ch = t[i];
			if (!in_quote && is_space(ch))
				break;
			if (!in_quote && (ch == '\'' || ch == '"')) {
				quote = ch, in_quote = blank_ok = true;
				i++;
				continue;
			}
			if (in_quote && ch == quote) {
				in_quote = false;
				i++;
				continue;
			}
			if (ch == '\\') {
				if (i + 1 >= e) {
					in_quote = false;
					i++;
					continue;
				}
				ch = t[++i];
			}
			if (ch == '=' && eq == SIZE_MAX) {
				eq = w.len;
				raw_eq = i;
			}
			pl_strbuf_addch(&w, ch);
			i++;
		}
		if (w.len == 2 && memcmp(w.buf, "--", 2) == 0) {
			pl_strbuf_release(&w);
			return i;
		}
		if (blank_ok || w.len > 0) {
			PL_GROW(*flags, cap, *nflags + 1);
			df_flag *f = &(*flags)[(*nflags)++];
			f->len = w.len;
			f->word = pl_strbuf_detach(&w);
			f->eq = eq;
			f->raw_start = start;
			f->raw_eq = raw_eq;
			f->raw_end = i;
		}
		pl_strbuf_release(&w);
	}
}

static void free_flags(df_flag *flags, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(flags[i].word);
	free(flags);
}

/* --- exec form ---------------------------------------------------------------------- */


static long hex4(const char *s)
{
	long v = 0;
	for (int i = 0; i < 4; i++) {
		char h = s[i];
		int d = (h >= '0' && h <= '9') ? h - '0'
			: (h >= 'a' && h <= 'f') ? h - 'a' + 10
			: (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

typedef struct exec_arg {
	char *text;              /* decoded, malloc'd */
	size_t len;
	size_t raw_start, raw_end;
} exec_arg;

/* One JSON string at t[*i] (the opening quote); false if it is not valid JSON. */
static bool json_string(const char *t, size_t *i, size_t e, pl_strbuf *out)
{
	size_t k = *i + 1;
	while (k < e && t[k] != '"') {
		unsigned char c = (unsigned char)t[k];
		if (c < 0x20)
			return false;
		if (c != '\\') {
			pl_strbuf_addch(out, (char)c);
			k++;
			continue;
		}
		if (k + 1 >= e)
			return false;
		char esc = t[k + 1];
		k += 2;
		switch (esc) {
		case '"': pl_strbuf_addch(out, '"'); break;
		case '\\': pl_strbuf_addch(out, '\\'); break;
		case '/': pl_strbuf_addch(out, '/'); break;
		case 'b': pl_strbuf_addch(out, '\b'); break;
		case 'f': pl_strbuf_addch(out, '\f'); break;
		case 'n': pl_strbuf_addch(out, '\n'); break;
		case 'r': pl_strbuf_addch(out, '\r'); break;
		case 't': pl_strbuf_addch(out, '\t'); break;
		case 'u': {
			long cp = k + 4 <= e ? hex4(t + k) : -1;
			if (cp < 0)
				return false;
			k += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF && k + 6 <= e && t[k] == '\\' && t[k + 1] == 'u') {
				long lo = hex4(t + k + 2);
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					k += 6;
				}
			}
			pl_utf8_encode(out, (unsigned long)cp);
			break;
		}
		default:
			return false;
		}
	}
	if (k >= e)
		return false;
	*i = k + 1;
	return true;
}

/*
 * The exec form: a JSON array of strings. As Docker (a json.Decoder reading
 * one value), text after the closing bracket is ignored. False for anything
 * else, which Docker treats as the shell form (or rejects, for an array of
 * non-strings; that is left to rules).
 */
static bool parse_exec(const joined *j, size_t i, size_t e, exec_arg **args, size_t *nargs)
{
	const char *t = j->sb.buf;
	size_t cap = 0;
	*args = NULL;
	*nargs = 0;
	while (i < e && is_space(t[i]))
		i++;
	if (i >= e || t[i] != '[')
		return false;
	i++;
	bool ok = false, first = true;
	for (;;) {
		while (i < e && is_space(t[i]))
			i++;
		if (i >= e)
			break;
		if (t[i] == ']' && first) {
			ok = true;
			break;
		}
		if (t[i] != '"')
			break;
		pl_strbuf s = PL_STRBUF_INIT;
		size_t start = i;
		if (!json_string(t, &i, e, &s)) {
			pl_strbuf_release(&s);
			break;
		}
		PL_GROW(*args, cap, *nargs + 1);
		exec_arg *a = &(*args)[(*nargs)++];
		a->len = s.len;
		a->text = pl_strbuf_detach(&s);
		a->raw_start = start;
		a->raw_end = i;
		first = false;
		while (i < e && is_space(t[i]))
			i++;
		if (i < e && t[i] == ',') {
			i++;
			continue;
		}
		ok = i < e && t[i] == ']';
		break;
	}
	if (!ok) {
		for (size_t k = 0; k < *nargs; k++)
			free((*args)[k].text);
		free(*args);
		*args = NULL;
		*nargs = 0;
	}
	return ok;
}

/* --- heredocs ---------------------------------------------------------------------- */

typedef struct heredoc {
	char *name;              /* the terminator, quotes removed; malloc'd */
	size_t len;
	bool chomp;              /* <<- : leading tabs are stripped before comparing */
	size_t raw_start;        /* joined offset of the word */
} heredoc;

/*
 * The heredocs of an instruction line, as BuildKit finds them: split the
 * line into shell words (quotes kept), and take each word that reads
 * `[digits]<<[-]name` with no further '<'. The name loses its quotes.
 */
static size_t find_heredocs(const joined *j, heredoc **out)
{
	const char *t = j->sb.buf;
	size_t n = j->sb.len, i = 0, count = 0, cap = 0;
	*out = NULL;
	while (i < n) {
		while (i < n && is_space(t[i]))
			i++;
		size_t ws = i;
		while (i < n && !is_space(t[i])) {
			char c = t[i++];
			if (c == '\'') {
				while (i < n && t[i] != '\'')
					i++;
				i += i < n;
			} else if (c == '"') {
				while (i < n && t[i] != '"')
					i += (t[i] == '\\' && i + 1 < n) ? 2 : 1;
				i += i < n;
			} else if (c == '\\' && i < n) {
				i++;
			}
		}
		size_t k = ws;
		while (k < i && t[k] >= '0' && t[k] <= '9')
			k++;
		if (i - k < 3 || t[k] != '<' || t[k + 1] != '<')
			continue;
		k += 2;
		bool chomp = k < i && t[k] == '-';
		k += chomp;
		if (k >= i || memchr(t + k, '<', i - k))
			continue;
		pl_strbuf name = PL_STRBUF_INIT;
		char quote = 0;
		for (; k < i; k++) {
			char c = t[k];
			if (quote) {
				if (c == quote)
					quote = 0;
				else if (c == '\\' && quote == '"' && k + 1 < i)
					pl_strbuf_addch(&name, t[++k]);
				else
					pl_strbuf_addch(&name, c);
			} else if (c == '\'' || c == '"') {
				quote = c;
			} else if (c == '\\' && k + 1 < i) {
				pl_strbuf_addch(&name, t[++k]);
			} else {
				pl_strbuf_addch(&name, c);
			}
		}
		if (name.len == 0) {
			pl_strbuf_release(&name);
			continue;
		}
		PL_GROW(*out, cap, count + 1);
		heredoc *h = &(*out)[count++];
		h->len = name.len;
		h->name = pl_strbuf_detach(&name);
		h->chomp = chomp;
		h->raw_start = ws;
	}
	return count;
}

static bool has_heredoc_marker(const char *t, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (t[i] == '<' && t[i + 1] == '<')
			return true;
	return false;
}

static bool is_heredoc_instruction(const char *kw, size_t n)
{
	return equal_fold(kw, n, "RUN", 3) || equal_fold(kw, n, "COPY", 4) || equal_fold(kw, n, "ADD", 3);
}

/*
 * Read each heredoc's body up to its terminator line, appending "\n" and
 * every line (terminator included) to the joined text. *last becomes the
 * terminator line. False (and INVALID) if the file ends first.
 */
static bool read_heredoc_bodies(df_reader *r, joined *j, heredoc *docs, size_t ndocs, df_line *last)
{
	for (size_t d = 0; d < ndocs; d++) {
		bool done = false;
		df_line l;
		while (!done && read_line(r, &l)) {
			size_t s = l.start;
			if (docs[d].chomp)
				while (s < l.end && r->text[s] == '\t')
					s++;
			done = l.end - s == docs[d].len && memcmp(r->text + s, docs[d].name, docs[d].len) == 0;
			lpos nl = j->sb.len ? j->pos[j->sb.len - 1] : (lpos){ l.no, 1 };
			nl.col++; /* the line break sits after the previous line's last byte */
			j_add(j, "\n", 1, nl.line, nl.col);
			j_add(j, r->text + l.start, l.end - l.start, l.no, col_of(&l, l.start));
			*last = l;
		}
		if (!done) {
			lpos at = j->pos[docs[d].raw_start];
			fail(r, at.line, at.col, "unterminated heredoc");
			return false;
		}
	}
	return true;
}

/* --- FROM and stages ---------------------------------------------------------------- */

static void close_stage(df_reader *r)
{
	if (r->stage && r->stage_user)
		add(r, r->stage, "user", r->stage_user, (lpos){ r->user_line, r->user_col });
	r->stage_user = NULL;
}

/* The parts of an image reference at joined [s, e) into the `from` mapping. */
static void image_ref(df_reader *r, const joined *j, size_t s, size_t e, pl_node *from, lpos dflt)
{
	const char *t = j->sb.buf;
	lpos at, end;
	span(j, s, e, dflt, &at, &end);
	add(r, from, "ref", range_scalar(r, j, s, e, dflt), at);
	if (memchr(t + s, '$', e - s)) {
		/* Built from ARGs: the parts are unknown until build time. */
		add(r, from, "image", range_scalar(r, j, s, e, dflt), at);
		return;
	}
	const char *atsign = memchr(t + s, '@', e - s);
	size_t name_end = atsign ? (size_t)(atsign - t) : e;
	size_t first_slash = SIZE_MAX, colon = SIZE_MAX;
	for (size_t i = s; i < name_end; i++) {
		if (t[i] == '/') {
			if (first_slash == SIZE_MAX)
				first_slash = i;
			colon = SIZE_MAX; /* a ':' before a '/' is a registry port */
		} else if (t[i] == ':') {
			colon = i;
		}
	}
	size_t image_end = colon != SIZE_MAX ? colon : name_end;
	if (image_end > s)
		add(r, from, "image", range_scalar(r, j, s, image_end, dflt), at);
	if (colon != SIZE_MAX && name_end > colon + 1) {
		lpos tat, tend;
		span(j, colon + 1, name_end, dflt, &tat, &tend);
		add(r, from, "tag", range_scalar(r, j, colon + 1, name_end, dflt), tat);
	}
	if (atsign && e > name_end + 1) {
		lpos dat, dend;
		span(j, name_end + 1, e, dflt, &dat, &dend);
		add(r, from, "digest", range_scalar(r, j, name_end + 1, e, dflt), dat);
	}
	if (first_slash != SIZE_MAX) {
		/* Docker's rule: the first component is a registry if it looks like a host. */
		size_t n = first_slash - s;
		if (memchr(t + s, '.', n) || memchr(t + s, ':', n) || (n == 9 && memcmp(t + s, "localhost", 9) == 0))
			add(r, from, "registry", range_scalar(r, j, s, first_slash, dflt), at);
	}
}

/* FROM: close the previous stage and open a new one, positioned at the keyword. */
static void begin_stage(df_reader *r, const joined *j, size_t rest, size_t e, lpos kw,
			const df_flag *flags, size_t nflags, lpos dflt)
{
	close_stage(r);
	r->stage_index++;
	pl_node *stage = pl_node_new(r->cfg, PL_NODE_MAPPING);
	stage->line = stage->end_line = kw.line;
	stage->col = stage->end_col = kw.col;
	pl_node *from = pl_node_new(r->cfg, PL_NODE_MAPPING);

	/* Words: image [AS name]. */
	const char *t = j->sb.buf;
	size_t ws[3], we[3], nw = 0, i = rest;
	while (nw < 3) {
		while (i < e && is_space(t[i]))
			i++;
		if (i >= e)
			break;
		ws[nw] = i;
		while (i < e && !is_space(t[i]))
			i++;
		we[nw++] = i;
	}
	lpos at = kw, end = kw;
	if (nw > 0)
		span(j, ws[0], we[0], dflt, &at, &end);
	from->line = at.line;
	from->col = at.col;
	from->end_line = end.line;
	from->end_col = end.col;
	if (nw > 0)
		image_ref(r, j, ws[0], we[0], from, dflt);
	if (nw == 3 && equal_fold(t + ws[1], we[1] - ws[1], "as", 2)) {
		lpos nat, nend;
		span(j, ws[2], we[2], dflt, &nat, &nend);
		add(r, from, "name", range_scalar(r, j, ws[2], we[2], dflt), nat);
		extend_to(from, nend.line, nend.col);
	}
	for (size_t f = 0; f < nflags; f++) {
		const df_flag *fl = &flags[f];
		if (fl->eq == SIZE_MAX || !equal_fold(fl->word + 2, fl->eq - 2, "platform", 8))
			continue;
		lpos pat, pend;
		span(j, fl->raw_eq + 1, fl->raw_end, dflt, &pat, &pend);
		add(r, from, "platform",
		    text_scalar(r, fl->word + fl->eq + 1, fl->len - fl->eq - 1, pat, pend), pat);
	}
	if (nw > 0) {
		for (size_t k = 0; k < r->nnames; k++) {
			if (equal_fold(t + ws[0], we[0] - ws[0], r->names[k].name, r->names[k].len)) {
				add(r, from, "stage_ref", range_scalar(r, j, ws[0], we[0], dflt), at);
				break;
			}
		}
	}
	if (nw == 3 && equal_fold(t + ws[1], we[1] - ws[1], "as", 2)) {
		PL_GROW(r->names, r->names_cap, r->nnames + 1);
		r->names[r->nnames++] = (stage_name){
			pl_arena_strndup(&r->cfg->arena, t + ws[2], we[2] - ws[2]), we[2] - ws[2] };
	}

	add(r, stage, "from", from, at);
	r->stage_instructions = pl_node_new(r->cfg, PL_NODE_SEQUENCE);
	r->stage_instructions->line = kw.line;
	r->stage_instructions->col = kw.col;
	add(r, stage, "instructions", r->stage_instructions, kw);
	pl_node_add_item(r->cfg, r->stages, stage);
	r->stage = stage;
}

/* --- one instruction ----------------------------------------------------------------- */

static bool takes_exec_form(const char *kw, size_t n)
{
	static const char *const names[] = { "RUN", "CMD", "ENTRYPOINT", "SHELL", "ADD", "COPY", "VOLUME" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (equal_fold(kw, n, names[i], strlen(names[i])))
			return true;
	return false;
}

/* `form` and, for the exec form, `args` of the arguments at joined [s, e). */
static bool add_form(df_reader *r, pl_node *inst, const joined *j, size_t s, size_t e, lpos dflt)
{
	exec_arg *args;
	size_t nargs;
	bool exec = parse_exec(j, s, e, &args, &nargs);
	lpos at, end;
	span(j, s, e, dflt, &at, &end);
	const char *form = exec ? "exec" : "shell";
	add(r, inst, "form", text_scalar(r, form, strlen(form), at, end), at);
	if (!exec)
		return false;
	pl_node *seq = pl_node_new(r->cfg, PL_NODE_SEQUENCE);
	seq->line = at.line;
	seq->col = at.col;
	seq->end_line = end.line;
	seq->end_col = end.col;
	for (size_t k = 0; k < nargs; k++) {
		lpos aat, aend;
		span(j, args[k].raw_start, args[k].raw_end, dflt, &aat, &aend);
		pl_node_add_item(r->cfg, seq, text_scalar(r, args[k].text, args[k].len, aat, aend));
		free(args[k].text);
	}
	free(args);
	add(r, inst, "args", seq, at);
	return true;
}

/*
 * Build the instruction held in `j` (its last line so far is `*last`),
 * reading heredoc bodies if it has any, and file it in the current stage.
 */
static void instruction(df_reader *r, joined *j, df_line *last)
{
	const char *t = j->sb.buf;
	size_t n = j->sb.len;
	while (n > 0 && is_space(t[n - 1]))
		n--; /* BuildKit trims the arguments */
	size_t kw_end = 0;
	while (kw_end < n && !is_space(t[kw_end]))
		kw_end++;
	if (kw_end == 0)
		return;
	size_t as = kw_end;
	while (as < n && is_space(t[as]))
		as++;
	lpos kw = j->pos[0];
	lpos after_kw = j->pos[kw_end - 1];
	after_kw.col++;

	df_flag *flags;
	size_t nflags;
	size_t rest = extract_flags(j, as, n, &flags, &nflags);

	/* ONBUILD wraps another instruction; heredocs follow the inner one. */
	const char *inner = t;
	size_t inner_len = kw_end;
	if (equal_fold(t, kw_end, "ONBUILD", 7)) {
		inner = t + rest;
		inner_len = 0;
		while (rest + inner_len < n && !is_space(inner[inner_len]))
			inner_len++;
	}
	bool exec_capable = takes_exec_form(t, kw_end);
	exec_arg *probe;
	size_t nprobe;
	bool exec = exec_capable && parse_exec(j, rest, n, &probe, &nprobe);
	if (exec) {
		for (size_t k = 0; k < nprobe; k++)
			free(probe[k].text);
		free(probe);
	}
	if (!exec && is_heredoc_instruction(inner, inner_len) && has_heredoc_marker(t, n)) {
		heredoc *docs;
		size_t ndocs = find_heredocs(j, &docs);
		if (ndocs) {
			j->sb.len = n; /* the bodies follow the trimmed line */
			j->sb.buf[n] = '\0';
			read_heredoc_bodies(r, j, docs, ndocs, last);
			t = j->sb.buf;
			n = j->sb.len;
		}
		for (size_t k = 0; k < ndocs; k++)
			free(docs[k].name);
		free(docs);
		if (r->status != PL_CONFIG_OK) {
			free_flags(flags, nflags);
			return;
		}
	}

	bool is_from = equal_fold(t, kw_end, "FROM", 4);
	if (is_from)
		begin_stage(r, j, rest, n, kw, flags, nflags, after_kw);

	pl_node *inst = pl_node_new(r->cfg, PL_NODE_MAPPING);
	inst->line = kw.line;
	inst->col = kw.col;
	inst->end_line = last->no;
	inst->end_col = col_of(last, last->end);

	pl_node *name = range_scalar(r, j, 0, kw_end, kw);
	char *upper = (char *)name->text;
	for (size_t k = 0; k < kw_end; k++)
		if (upper[k] >= 'a' && upper[k] <= 'z')
			upper[k] = (char)(upper[k] - 'a' + 'A');
	add(r, inst, "instruction", name, kw);

	pl_node *value = range_scalar(r, j, as, n > as ? n : as, after_kw);
	lpos value_at = { value->line, value->col };
	add(r, inst, "value", value, value_at);

	if (r->stage_index >= 0) {
		char num[24];
		int len = snprintf(num, sizeof(num), "%ld", r->stage_index);
		pl_node *stage = text_scalar(r, num, (size_t)len, kw, after_kw);
		stage->type = PL_SCALAR_INT;
		stage->number = (double)r->stage_index;
		add(r, inst, "stage", stage, kw);
	}

	if (nflags) {
		pl_node *fm = pl_node_new(r->cfg, PL_NODE_MAPPING);
		lpos fat, fend, lat, lend;
		span(j, flags[0].raw_start, flags[0].raw_end, after_kw, &fat, &fend);
		span(j, flags[nflags - 1].raw_start, flags[nflags - 1].raw_end, after_kw, &lat, &lend);
		fm->line = fat.line;
		fm->col = fat.col;
		fm->end_line = lend.line;
		fm->end_col = lend.col;
		for (size_t f = 0; f < nflags; f++) {
			const df_flag *fl = &flags[f];
			size_t name_end = fl->eq != SIZE_MAX ? fl->eq : fl->len;
			lpos key_at, key_end;
			span(j, fl->raw_start, fl->raw_end, after_kw, &key_at, &key_end);
			pl_node *v;
			if (fl->eq != SIZE_MAX) {
				lpos vat, vend;
				span(j, fl->raw_eq + 1, fl->raw_end, key_end, &vat, &vend);
				if (fl->raw_eq + 1 >= fl->raw_end)
					vat = vend = key_end;
				v = text_scalar(r, fl->word + fl->eq + 1, fl->len - fl->eq - 1, vat, vend);
			} else {
				v = text_scalar(r, "true", 4, key_at, key_end); /* `--link` alone */
				v->type = PL_SCALAR_BOOL;
				v->boolean = true;
			}
			const char *fname = fl->len >= 2 ? fl->word + 2 : fl->word;
			size_t fname_len = name_end >= 2 ? name_end - 2 : 0;
			pl_node_add_pair(r->cfg, fm, fname, fname_len, key_at.line, key_at.col, v);
		}
		add(r, inst, "flags", fm, fat);
	}
	free_flags(flags, nflags);

	if (exec_capable) {
		add_form(r, inst, j, rest, n, after_kw);
	} else if (equal_fold(t, kw_end, "HEALTHCHECK", 11)) {
		size_t sub = rest, sub_end;
		while (sub < n && is_space(t[sub]))
			sub++;
		sub_end = sub;
		while (sub_end < n && !is_space(t[sub_end]))
			sub_end++;
		if (equal_fold(t + sub, sub_end - sub, "CMD", 3))
			add_form(r, inst, j, sub_end, n, after_kw);
	}

	if (equal_fold(t, kw_end, "USER", 4) && r->stage) {
		r->stage_user = value;
		r->user_line = kw.line;
		r->user_col = kw.col;
	}

	pl_node_add_item(r->cfg, r->instructions, inst);
	if (r->stage) {
		pl_node_add_item(r->cfg, r->stage_instructions, inst);
		extend_to(r->stage_instructions, inst->end_line, inst->end_col);
		extend_to(r->stage, inst->end_line, inst->end_col);
	}
}

/* --- entry ---------------------------------------------------------------------------- */

pl_config_status pl_config_read_dockerfile(pl_config *cfg, const char *text, size_t len,
					   pl_config_error *err)
{
	memset(err, 0, sizeof(*err));
	if (!text)
		text = "", len = 0;
	df_reader r = {
		.cfg = cfg, .text = text, .len = len, .escape = '\\', .err = err,
		.status = PL_CONFIG_OK, .stage_index = -1,
	};
	r.root = pl_node_new(cfg, PL_NODE_MAPPING);
	r.root->line = r.root->col = r.root->end_line = r.root->end_col = 1;
	r.instructions = pl_node_new(cfg, PL_NODE_SEQUENCE);
	r.instructions->line = r.instructions->col = 1;
	r.instructions->end_line = r.instructions->end_col = 1;
	r.stages = pl_node_new(cfg, PL_NODE_SEQUENCE);
	r.stages->line = r.stages->col = r.stages->end_line = r.stages->end_col = 1;

	bool in_directives = true;
	joined j = { PL_STRBUF_INIT, NULL, 0 };
	df_line l;
	while (r.status == PL_CONFIG_OK && read_line(&r, &l)) {
		size_t s = l.start;
		while (s < l.end && is_space(text[s]))
			s++;
		if (in_directives) {
			if (directive(&r, &l, s))
				continue;
			in_directives = false;
		}
		if (s >= l.end || text[s] == '#')
			continue;

		pl_strbuf_reset(&j.sb);
		df_line last = l;
		size_t piece_end;
		bool more = continues(&r, s, l.end, &piece_end);
		j_add(&j, text + s, (more ? piece_end : l.end) - s, l.no, col_of(&l, s));
		bool pending_space = more && j_trim_blanks(&j);
		while (more && read_line(&r, &l)) {
			if (blank_or_comment(&r, &l))
				continue; /* Docker skips these inside a continued instruction */
			more = continues(&r, l.start, l.end, &piece_end);
			size_t ps = l.start, pe = more ? piece_end : l.end;
			while (ps < pe && (text[ps] == ' ' || text[ps] == '\t'))
				ps++, pending_space = true;
			if (ps < pe) {
				if (pending_space && j.sb.len)
					j_add(&j, " ", 1, l.no, col_of(&l, ps));
				j_add(&j, text + ps, pe - ps, l.no, col_of(&l, ps));
				pending_space = false;
			}
			if (more && j_trim_blanks(&j))
				pending_space = true;
			last = l;
		}
		if (j.sb.len == 0)
			continue; /* only escape characters */
		instruction(&r, &j, &last);
	}
	if (r.line_no) {
		r.root->end_line = r.line_no;
		r.root->end_col = r.last_end_col;
	}
	close_stage(&r);
	j_release(&j);
	free(r.names);

	/* The lists span their items (an empty one sits at 1:1). */
	pl_node *lists[] = { r.instructions, r.stages };
	for (size_t k = 0; k < 2; k++) {
		if (lists[k]->nitems == 0)
			continue;
		const pl_node *first = lists[k]->items[0], *final = lists[k]->items[lists[k]->nitems - 1];
		lists[k]->line = first->line;
		lists[k]->col = first->col;
		lists[k]->end_line = final->end_line;
		lists[k]->end_col = final->end_col;
	}
	add(&r, r.root, "instructions", r.instructions, (lpos){ 1, 1 });
	add(&r, r.root, "stages", r.stages, (lpos){ 1, 1 });
	if (r.stage)
		add(&r, r.root, "final", r.stage, (lpos){ r.stage->line, r.stage->col });
	if (r.status == PL_CONFIG_OK)
		pl_config_add_document(cfg, r.root);
	return r.status;
}
