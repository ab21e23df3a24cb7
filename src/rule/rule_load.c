/*
 * Loading a rule file: libcyaml for the shape, our own checks for values,
 * a libyaml position index (yaml_index.h) to locate every error (the
 * locating itself is yaml_doc.h, shared with .prodlint.yaml), and the match
 * module to compile queries once.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/kind.h"
#include "rule/rule.h"
#include "rule/rule_schema.h"
#include "rule/yaml_doc.h"
#include "rule/yaml_index.h"
#include "util/mem.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define RULE_FILE_MAX_SIZE (4u << 20)

typedef struct loader {
	pl_yaml_doc doc;       /* the file, its position index, where errors go */
	pl_query_cache *cache; /* shared compiled queries (the rule set's) */
	bool defer;            /* keep query text, compile later (pl_ruleset_prepare) */
} loader;

/* --- locating errors ------------------------------------------------------ */

/* At a position, or at an index path's value or key (yaml_doc.h). */
#define error_at(ld, ...) pl_yaml_doc_error_at(&(ld)->doc, __VA_ARGS__)
#define error_path(ld, ...) pl_yaml_doc_error_path(&(ld)->doc, __VA_ARGS__)

static pl_path_filter copy_globs(char **globs, unsigned n)
{
	pl_path_filter f = { NULL, 0 };
	if (!n)
		return f;
	f.globs = pl_xcalloc(n, sizeof(char *));
	for (unsigned i = 0; i < n; i++)
		f.globs[f.len++] = pl_xstrdup(globs[i]);
	return f;
}

/* --- validation ---------------------------------------------------------- */

static bool is_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

static void join_list(pl_strbuf *sb, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pl_strbuf_addf(sb, "%s%s", i ? ", " : "", list[i]);
}

static bool valid_id_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

typedef struct relation_field {
	const char *key;
	pl_relation kind;
	size_t offset;
} relation_field;

static const relation_field relation_fields[] = {
	{ "has", PL_REL_HAS, offsetof(raw_condition, has) },
	{ "not_has", PL_REL_NOT_HAS, offsetof(raw_condition, not_has) },
	{ "inside", PL_REL_INSIDE, offsetof(raw_condition, inside) },
	{ "not_inside", PL_REL_NOT_INSIDE, offsetof(raw_condition, not_inside) },
	{ "file_has", PL_REL_FILE_HAS, offsetof(raw_condition, file_has) },
	{ "file_not_has", PL_REL_FILE_NOT_HAS, offsetof(raw_condition, file_not_has) },
};

#define NRELATIONS (sizeof(relation_fields) / sizeof(relation_fields[0]))

static pl_pattern *compile_query(loader *ld, const pl_language *lang, const char *query,
				 const char *path)
{
	pl_compile_error err;
	pl_pattern *p = ld->defer ? pl_pattern_defer(lang, query, strlen(query))
				  : pl_pattern_compile(ld->cache, lang, query, strlen(query), &err);
	if (!p) {
		/* Map the offset in the query text back to the rule file. */
		const pl_yaml_entry *e = pl_yaml_index_find(&ld->doc.index, path);
		unsigned line = e ? e->line : 1, col = e ? e->col : 1;
		if (e && e->block_scalar) {
			unsigned extra = 0, c = 1;
			for (uint32_t i = 0; i < err.offset && query[i]; i++) {
				if (query[i] == '\n') {
					extra++;
					c = 1;
				} else {
					c++;
				}
			}
			line += 1 + extra;
			col = e->indent + c - 1;
		} else if (e) {
			col += err.offset;
		}
		error_at(ld, line, col, "%s", err.message);
	}
	return p;
}

/* Compile the conditions at `base` ("...where") onto `parent`; `outer` holds
 * the patterns around parent (their captures stay bound, so relations may
 * name them). */
static int add_conditions(loader *ld, const pl_language *lang, pl_pattern *parent,
			  const pl_pattern **outer, size_t nouter, const raw_condition *conds,
			  unsigned n, const char *base)
{
	const pl_pattern *scope[64];
	size_t nscope = nouter < 63 ? nouter : 63;
	if (nscope)
		memcpy(scope, outer, nscope * sizeof(*scope));
	scope[nscope] = parent;
	int rc = 0;
	for (unsigned i = 0; i < n; i++) {
		const raw_condition *c = &conds[i];
		char path[512];
		if (snprintf(path, sizeof(path), "%s[%u]", base, i) >= (int)sizeof(path))
			memcpy(path + sizeof(path) - 4, "...", 4); /* only names the key in messages */
		const relation_field *which = NULL;
		size_t count = 0;
		for (size_t k = 0; k < NRELATIONS; k++) {
			const char *v = *(char *const *)((const char *)c + relation_fields[k].offset);
			if (v) {
				count++;
				if (!which)
					which = &relation_fields[k];
			}
		}
		if (count != 1) {
			error_path(ld, path, false,
				   "a condition needs exactly one of has, not_has, inside, not_inside, "
				   "file_has, file_not_has (found %zu)", count);
			rc = -1;
			continue;
		}
		char qpath[600], cpath[600];
		snprintf(qpath, sizeof(qpath), "%s.%s", path, which->key);
		snprintf(cpath, sizeof(cpath), "%s.capture", path);
		bool needs = pl_relation_needs_capture(which->kind);
		if (needs && !c->capture) {
			error_path(ld, qpath, true, "'%s' needs a 'capture' naming the node it applies to",
				   which->key);
			rc = -1;
			continue;
		}
		if (!needs && c->capture) {
			error_path(ld, cpath, true, "'capture' does not apply to '%s'", which->key);
			rc = -1;
			continue;
		}
		const char *query = *(char *const *)((const char *)c + which->offset);
		pl_pattern *sub = compile_query(ld, lang, query, qpath);
		if (!sub) {
			rc = -1;
			continue;
		}
		char wpath[600];
		snprintf(wpath, sizeof(wpath), "%s.where", path);
		if (add_conditions(ld, lang, sub, scope, nscope + 1, c->where, c->where_count,
				   wpath) < 0) {
			pl_pattern_delete(sub);
			rc = -1;
			continue;
		}
		pl_compile_error err;
		if (pl_pattern_add_relation(parent, which->kind, c->capture, sub, outer, nouter, &err) <
		    0) {
			error_path(ld, cpath, false, "%s", err.message);
			rc = -1;
		}
	}
	return rc;
}

/* Every {{name}} in the message must be a capture of the query. */
static int check_message(loader *ld, const char *message, const pl_pattern *p,
			 const char *lang, const char *path)
{
	const char *m = message;
	while ((m = strstr(m, "{{")) != NULL) {
		const char *end = strstr(m, "}}");
		if (!end)
			break;
		char name[128];
		size_t n = (size_t)(end - m - 2);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, m + 2, n);
		name[n] = '\0';
		if (!pl_pattern_has_capture(p, name)) {
			error_path(ld, path, false,
				   "message uses '{{%s}}' but the %s query has no capture '@%s'",
				   name, lang, name);
			return -1;
		}
		m = end + 2;
	}
	return 0;
}

static int compile_matchers(loader *ld, pl_rule *rule, const raw_rule *raw, const char *base)
{
	int rc = 0;
	for (unsigned i = 0; i < raw->match_count; i++) {
		const raw_match *m = &raw->match[i];
		char path[512], qpath[600];
		snprintf(path, sizeof(path), "%s%smatch[%u]", base, *base ? "." : "", i);
		snprintf(qpath, sizeof(qpath), "%s.query", path);
		for (unsigned l = 0; l < m->languages_count; l++) {
			char lpath[600];
			snprintf(lpath, sizeof(lpath), "%s.languages[%u]", path, l);
			const pl_language *lang = pl_language_by_name(m->languages[l]);
			if (!lang) {
				size_t nl;
				const pl_language *const *all = pl_languages(&nl);
				pl_strbuf names = PL_STRBUF_INIT;
				for (size_t k = 0; k < nl; k++)
					pl_strbuf_addf(&names, "%s%s", k ? ", " : "", all[k]->name);
				error_path(ld, lpath, false, "unknown language '%s' (known: %s)",
					   m->languages[l], names.buf);
				pl_strbuf_release(&names);
				rc = -1;
				continue;
			}
			if (!lang->grammar) {
				error_path(ld, lpath, false,
					   "'%s' files are read into the config tree: use a 'config' "
					   "check instead of a query", lang->name);
				rc = -1;
				continue;
			}
			pl_pattern *p = compile_query(ld, lang, m->query, qpath);
			if (!p) {
				rc = -1;
				continue;
			}
			char wpath[600], mpath[600];
			snprintf(wpath, sizeof(wpath), "%s.where", path);
			if (m->message)
				snprintf(mpath, sizeof(mpath), "%s.message", path);
			else
				snprintf(mpath, sizeof(mpath), "%s%smessage", base, *base ? "." : "");
			if (add_conditions(ld, lang, p, NULL, 0, m->where, m->where_count, wpath) < 0 ||
			    check_message(ld, m->message ? m->message : rule->message, p, lang->name,
					  mpath) < 0) {
				pl_pattern_delete(p);
				rc = -1;
				continue;
			}
			if (m->at && !pl_pattern_has_capture(p, m->at)) {
				char apath[600];
				snprintf(apath, sizeof(apath), "%s.at", path);
				error_path(ld, apath, false, "'at' names '@%s', which the %s query does not capture",
					   m->at, lang->name);
				pl_pattern_delete(p);
				rc = -1;
				continue;
			}
			rule->matchers = pl_xrealloc(rule->matchers,
						     (rule->matchers_len + 1) * sizeof(*rule->matchers));
			pl_rule_matcher *out = &rule->matchers[rule->matchers_len++];
			out->language = lang;
			out->pattern = p;
			out->report_capture = m->at ? pl_xstrdup(m->at) : NULL;
			out->message = m->message ? pl_xstrdup(m->message) : NULL;
			out->paths = copy_globs(m->paths, m->paths_count);
		}
	}
	return rc;
}

/* --- config matchers ------------------------------------------------------- */

static pl_path *compile_path(loader *ld, const char *src, const char *path)
{
	char msg[256];
	size_t off = 0;
	pl_path *p = pl_path_compile(src, msg, sizeof(msg), &off);
	if (!p) {
		const pl_yaml_entry *e = pl_yaml_index_find(&ld->doc.index, path);
		unsigned line = e ? e->line : 1, col = e ? e->col : 1;
		if (e && !e->block_scalar)
			col += (unsigned)off;
		error_at(ld, line, col, "bad path '%s': %s", src, msg);
	}
	return p;
}

typedef struct cond_field {
	const char *key;
	pl_cond_kind kind;
	size_t offset;     /* of the char * value */
} cond_field;

/* Tests that carry a value and apply to `path` (default: the node itself). */
static const cond_field value_tests[] = {
	{ "equals", PL_COND_EQUALS, offsetof(raw_cond, equals) },
	{ "not_equals", PL_COND_NOT_EQUALS, offsetof(raw_cond, not_equals) },
	{ "matches", PL_COND_MATCHES, offsetof(raw_cond, matches) },
	{ "not_matches", PL_COND_NOT_MATCHES, offsetof(raw_cond, not_matches) },
	{ "key_matches", PL_COND_KEY_MATCHES, offsetof(raw_cond, key_matches) },
	{ "gt", PL_COND_GT, offsetof(raw_cond, gt) },
	{ "ge", PL_COND_GE, offsetof(raw_cond, ge) },
	{ "lt", PL_COND_LT, offsetof(raw_cond, lt) },
	{ "le", PL_COND_LE, offsetof(raw_cond, le) },
};

static pl_cond *compile_cond(loader *ld, const raw_cond *rc, const char *at);

static pl_cond *compile_children(loader *ld, pl_cond_kind kind, const raw_cond *items, unsigned n,
				 const char *at, const char *key)
{
	pl_cond *c = pl_xcalloc(1, sizeof(*c));
	c->kind = kind;
	c->children = pl_xcalloc(n, sizeof(pl_cond *));
	for (unsigned i = 0; i < n; i++) {
		char sub[700];
		snprintf(sub, sizeof(sub), "%s.%s[%u]", at, key, i);
		c->children[i] = compile_cond(ld, &items[i], sub);
		c->nchildren++;
		if (!c->children[i]) {
			pl_cond_delete(c);
			return NULL;
		}
	}
	return c;
}

static pl_cond *compile_cond(loader *ld, const raw_cond *rc, const char *at)
{
	/* Exactly one test per condition. */
	const char *which = NULL;
	size_t count = 0;
#define SEEN(field, name) if (rc->field) { count++; if (!which) which = name; }
	SEEN(present, "present") SEEN(absent, "absent") SEEN(in, "in") SEEN(not_in, "not_in")
	SEEN(all, "all") SEEN(any, "any") SEEN(not_, "not")
#undef SEEN
	const cond_field *vt = NULL;
	for (size_t i = 0; i < sizeof(value_tests) / sizeof(value_tests[0]); i++) {
		if (*(char *const *)((const char *)rc + value_tests[i].offset)) {
			count++;
			if (!which) {
				which = value_tests[i].key;
				vt = &value_tests[i];
			}
		}
	}
	if (count != 1) {
		error_path(ld, at, false,
			   "a condition needs exactly one test: present, absent, equals, not_equals, "
			   "matches, not_matches, key_matches, in, not_in, gt, ge, lt, le, all, any or "
			   "not (found %zu)",
			   count);
		return NULL;
	}
	char key_path[700];
	snprintf(key_path, sizeof(key_path), "%s.%s", at, which);
	bool takes_path = vt || rc->in || rc->not_in;
	if (rc->path && !takes_path) {
		char pp[700];
		snprintf(pp, sizeof(pp), "%s.path", at);
		error_path(ld, pp, true, "'path' does not apply to '%s'%s", which,
			   rc->present || rc->absent ? " (its value is the path)" : "");
		return NULL;
	}
	if (rc->all)
		return compile_children(ld, PL_COND_ALL, rc->all, rc->all_count, at, "all");
	if (rc->any)
		return compile_children(ld, PL_COND_ANY, rc->any, rc->any_count, at, "any");
	if (rc->not_) {
		pl_cond *c = pl_xcalloc(1, sizeof(*c));
		c->kind = PL_COND_NOT;
		c->children = pl_xcalloc(1, sizeof(pl_cond *));
		c->children[0] = compile_cond(ld, rc->not_, key_path);
		c->nchildren = 1;
		if (!c->children[0]) {
			pl_cond_delete(c);
			return NULL;
		}
		return c;
	}
	pl_cond *c = pl_xcalloc(1, sizeof(*c));
	const char *path_src = rc->present ? rc->present : rc->absent ? rc->absent
			       : rc->path ? rc->path : "";
	char path_at[700];
	snprintf(path_at, sizeof(path_at), "%s.%s", at,
		 rc->present ? "present" : rc->absent ? "absent" : "path");
	c->path = compile_path(ld, path_src, path_at);
	if (!c->path) {
		pl_cond_delete(c);
		return NULL;
	}
	if (rc->present) {
		c->kind = PL_COND_PRESENT;
	} else if (rc->absent) {
		c->kind = PL_COND_ABSENT;
	} else if (rc->in || rc->not_in) {
		c->kind = rc->in ? PL_COND_IN : PL_COND_NOT_IN;
		char **vals = rc->in ? rc->in : rc->not_in;
		unsigned n = rc->in ? rc->in_count : rc->not_in_count;
		c->values = pl_xcalloc(n, sizeof(char *));
		for (unsigned i = 0; i < n; i++)
			c->values[i] = pl_xstrdup(vals[i]);
		c->nvalues = n;
	} else {
		c->kind = vt->kind;
		const char *value = *(char *const *)((const char *)rc + vt->offset);
		if (c->kind == PL_COND_MATCHES || c->kind == PL_COND_NOT_MATCHES ||
		    c->kind == PL_COND_KEY_MATCHES) {
			char msg[256];
			size_t off = 0;
			c->regex = pl_regex_compile(value, strlen(value), msg, sizeof(msg), &off);
			if (!c->regex) {
				error_path(ld, key_path, false, "bad regex \"%s\" at character %zu: %s",
					   value, off, msg);
				pl_cond_delete(c);
				return NULL;
			}
		} else if (c->kind >= PL_COND_GT && c->kind <= PL_COND_LE) {
			char *end;
			c->number = strtod(value, &end);
			if (end == value || *end) {
				error_path(ld, key_path, false, "'%s' needs a number, not '%s'", which, value);
				pl_cond_delete(c);
				return NULL;
			}
		} else {
			c->values = pl_xcalloc(1, sizeof(char *));
			c->values[0] = pl_xstrdup(value);
			c->nvalues = 1;
		}
	}
	return c;
}

/* A list of conditions that must all hold (require) or any of which is reported (forbid). */
static pl_cond *compile_cond_list(loader *ld, pl_cond_kind kind, const raw_cond *items, unsigned n,
				  const char *at, const char *key)
{
	if (!items)
		return NULL;
	return compile_children(ld, kind, items, n, at, key);
}

static int compile_config_matchers(loader *ld, pl_rule *rule, const raw_rule *raw, const char *base)
{
	if (!raw->config_count)
		return 0;
	rule->config_matchers = pl_xcalloc(raw->config_count, sizeof(pl_config_matcher));
	int rc = 0;
	for (unsigned i = 0; i < raw->config_count; i++) {
		const raw_config *rcfg = &raw->config[i];
		pl_config_matcher *m = &rule->config_matchers[rule->config_matchers_len++];
		char at[600];
		snprintf(at, sizeof(at), "%s%sconfig[%u]", base, *base ? "." : "", i);
		for (unsigned k = 0; k < rcfg->kinds_count; k++) {
			pl_file_kind kind = pl_file_kind_parse(rcfg->kinds[k]);
			if (kind == PL_KIND_NONE) {
				char kp[700];
				snprintf(kp, sizeof(kp), "%s.kinds[%u]", at, k);
				pl_strbuf names = PL_STRBUF_INIT;
				for (int x = 1; x < PL_KIND_COUNT; x++)
					pl_strbuf_addf(&names, "%s%s", x > 1 ? ", " : "",
						       pl_file_kind_name((pl_file_kind)x));
				error_path(ld, kp, false, "unknown file kind '%s' (known: %s)",
					   rcfg->kinds[k], names.buf);
				pl_strbuf_release(&names);
				rc = -1;
				continue;
			}
			m->kinds |= 1u << kind;
		}
		rule->config_kinds |= m->kinds;
		if (rcfg->message)
			m->message = pl_xstrdup(rcfg->message);
		m->paths = copy_globs(rcfg->paths, rcfg->paths_count);
		if (rule->fact) {
			/* Fact definitions: the node is evidence when every `where` holds. */
			if (!rcfg->where || rcfg->require || rcfg->forbid) {
				error_path(ld, at, false,
					   "a fact's config check takes 'where' (conditions that all hold "
					   "for the evidence), not 'require' or 'forbid'");
				rc = -1;
				continue;
			}
		} else if (rcfg->where) {
			char wp[700];
			snprintf(wp, sizeof(wp), "%s.where", at);
			error_path(ld, wp, true, "'where' belongs to fact definitions; rules use "
				   "'require' or 'forbid'");
			rc = -1;
			continue;
		} else if (!rcfg->require && !rcfg->forbid) {
			error_path(ld, at, false, "a config matcher needs 'require' or 'forbid'");
			rc = -1;
			continue;
		}
		if (rcfg->when) {
			char wp[700];
			snprintf(wp, sizeof(wp), "%s.when", at);
			if (!(m->when = compile_cond(ld, rcfg->when, wp)))
				rc = -1;
		}
		if (rcfg->select_count) {
			m->select = pl_xcalloc(rcfg->select_count, sizeof(pl_path *));
			for (unsigned k = 0; k < rcfg->select_count; k++) {
				char sp[700];
				snprintf(sp, sizeof(sp), "%s.select[%u]", at, k);
				pl_path *p = compile_path(ld, rcfg->select[k], sp);
				if (!p) {
					rc = -1;
					continue;
				}
				m->select[m->nselect++] = p;
			}
		}
		if (rcfg->require &&
		    !(m->require = compile_cond_list(ld, PL_COND_ALL, rcfg->require, rcfg->require_count,
						     at, "require")))
			rc = -1;
		if (rcfg->forbid &&
		    !(m->forbid = compile_cond_list(ld, PL_COND_ANY, rcfg->forbid, rcfg->forbid_count, at,
						    "forbid")))
			rc = -1;
		if (rcfg->where) {
			pl_cond *all = compile_cond_list(ld, PL_COND_ALL, rcfg->where, rcfg->where_count,
							 at, "where");
			if (!all) {
				rc = -1;
			} else {
				m->forbid = pl_xcalloc(1, sizeof(pl_cond));
				m->forbid->kind = PL_COND_ANY;
				m->forbid->children = pl_xcalloc(1, sizeof(pl_cond *));
				m->forbid->children[0] = all;
				m->forbid->nchildren = 1;
			}
		}
	}
	return rc;
}

static char **copy_fact_names(loader *ld, char **names, unsigned n, const char *at,
			      const char *key, size_t *out_n, int *rc)
{
	char **v = pl_xcalloc(n ? n : 1, sizeof(char *));
	for (unsigned i = 0; i < n; i++) {
		if (!pl_fact_name_valid(names[i])) {
			char p[700];
			snprintf(p, sizeof(p), "%s.%s[%u]", at, key, i);
			error_path(ld, p, false, "'%s' is not a fact name (lowercase letters, digits, dashes)",
				   names[i]);
			*rc = -1;
		}
		v[i] = pl_xstrdup(names[i]);
	}
	*out_n = n;
	return v;
}

static int compile_repo(loader *ld, pl_rule *rule, const raw_rule *raw, const char *base)
{
	if (!raw->repo)
		return 0;
	char at[600];
	snprintf(at, sizeof(at), "%s%srepo", base, *base ? "." : "");
	if (raw->match || raw->config) {
		error_path(ld, at, true, "a repo rule works on facts: it takes no 'match' or 'config'");
		return -1;
	}
	int rc = 0;
	const raw_repo *r = raw->repo;
	pl_repo_matcher *m = pl_xcalloc(1, sizeof(*m));
	rule->repo = m;
	m->when = copy_fact_names(ld, r->when, r->when_count, at, "when", &m->nwhen, &rc);
	m->require = copy_fact_names(ld, r->require, r->require_count, at, "require", &m->nrequire, &rc);
	m->require_any = copy_fact_names(ld, r->require_any, r->require_any_count, at, "require_any",
					 &m->nrequire_any, &rc);
	m->unless = copy_fact_names(ld, r->unless, r->unless_count, at, "unless", &m->nunless, &rc);
	if (r->at) {
		bool in_when = false;
		for (unsigned i = 0; i < r->when_count; i++)
			in_when |= strcmp(r->when[i], r->at) == 0;
		if (!in_when) {
			char p[700];
			snprintf(p, sizeof(p), "%s.at", at);
			error_path(ld, p, false, "'at' must name one of the 'when' facts");
			rc = -1;
		}
		m->at = pl_xstrdup(r->at);
	}
	if (r->report) {
		if (strcmp(r->report, "each") == 0) {
			m->each = true;
		} else if (strcmp(r->report, "once") != 0) {
			char p[700];
			snprintf(p, sizeof(p), "%s.report", at);
			error_path(ld, p, false, "report '%s' is not one of once, each", r->report);
			rc = -1;
		}
	}
	return rc;
}

/* A fact definition becomes a rule whose hits are facts (pl_rule.fact). */
static pl_rule *build_fact(loader *ld, const raw_factdef *raw, unsigned index)
{
	char base[64];
	snprintf(base, sizeof(base), "facts[%u]", index);
	char fpath[128];
	snprintf(fpath, sizeof(fpath), "%s.fact", base);
	if (!pl_fact_name_valid(raw->fact)) {
		error_path(ld, fpath, false, "'%s' is not a fact name (lowercase letters, digits, dashes)",
			   raw->fact);
		return NULL;
	}
	if (!raw->match_count && !raw->config_count) {
		error_path(ld, base, false, "a fact needs 'match' queries or 'config' checks");
		return NULL;
	}
	pl_rule *rule = pl_xcalloc(1, sizeof(*rule));
	pl_strbuf id = PL_STRBUF_INIT;
	pl_strbuf_addf(&id, "fact:%s", raw->fact);
	rule->id = pl_strbuf_detach(&id);
	rule->fact = pl_xstrdup(raw->fact);
	rule->title = pl_xstrdup(raw->description);
	rule->category = pl_xstrdup("fact");
	rule->message = pl_xstrdup(raw->description);
	size_t ml = strlen(rule->message);
	while (ml && isspace((unsigned char)rule->message[ml - 1]))
		rule->message[--ml] = '\0';
	rule->severity = PL_SEVERITY_NOTE;
	rule->source_path = pl_xstrdup(ld->doc.path);
	const pl_yaml_entry *e = pl_yaml_index_find(&ld->doc.index, fpath);
	rule->source_line = e ? e->line : 1;
	raw_rule as_rule = { 0 };
	as_rule.match = raw->match;
	as_rule.match_count = raw->match_count;
	as_rule.config = raw->config;
	as_rule.config_count = raw->config_count;
	if (compile_matchers(ld, rule, &as_rule, base) < 0 ||
	    compile_config_matchers(ld, rule, &as_rule, base) < 0) {
		pl_rule_delete(rule);
		return NULL;
	}
	return rule;
}

static char *dup_or_null(const char *s)
{
	return s ? pl_xstrdup(s) : NULL;
}

static pl_rule *build_rule(loader *ld, const raw_rule *raw, const char *base)
{
	size_t before = ld->doc.errors;
	char path[512];
#define FIELD_PATH(name) (snprintf(path, sizeof(path), "%s%s" name, base, *base ? "." : ""), path)
	static const char *const required[] = { "id", "title", "severity", "category",
						"rationale", "remediation" };
	const char *values[] = { raw->id, raw->title, raw->severity, raw->category,
				 raw->rationale, raw->remediation };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		if (is_blank(values[i])) {
			snprintf(path, sizeof(path), "%s%s%s", base, *base ? "." : "", required[i]);
			if (values[i])
				error_path(ld, path, false, "'%s' must not be empty", required[i]);
			else
				error_path(ld, base, false, "rule is missing required key '%s'", required[i]);
		}
	}
	pl_severity sev = PL_SEVERITY_NONE;
	if (raw->severity && pl_severity_parse(raw->severity, &sev) < 0)
		error_path(ld, FIELD_PATH("severity"), false,
			   "severity '%s' is not one of error, warning, note", raw->severity);
	size_t ncat;
	const char *const *cats = pl_rule_categories(&ncat);
	if (raw->category && !in_list(raw->category, cats, ncat)) {
		pl_strbuf sb = PL_STRBUF_INIT;
		join_list(&sb, cats, ncat);
		error_path(ld, FIELD_PATH("category"), false, "unknown category '%s' (known: %s)",
			   raw->category, sb.buf);
		pl_strbuf_release(&sb);
	}
	if (raw->id && raw->category) {
		const char *slash = strchr(raw->id, '/');
		size_t clen = strlen(raw->category);
		if (!slash || (size_t)(slash - raw->id) != clen ||
		    strncmp(raw->id, raw->category, clen) != 0 || !valid_id_name(slash + 1))
			error_path(ld, FIELD_PATH("id"), false,
				   "id '%s' must be '%s/<name>' with a lowercase, dash-separated name",
				   raw->id, raw->category);
	}
	size_t nck;
	const char *const *ck = pl_checklist_ids(&nck);
	if (!raw->checklist_count)
		error_path(ld, raw->checklist ? FIELD_PATH("checklist") : base, false,
			   "rule needs a non-empty 'checklist' of item ids (QG1 ... PB3)");
	for (unsigned i = 0; i < raw->checklist_count; i++) {
		if (!in_list(raw->checklist[i], ck, nck)) {
			char p2[600];
			snprintf(p2, sizeof(p2), "%s%schecklist[%u]", base, *base ? "." : "", i);
			pl_strbuf sb = PL_STRBUF_INIT;
			join_list(&sb, ck, nck);
			error_path(ld, p2, false, "unknown checklist item '%s' (known: %s)",
				   raw->checklist[i], sb.buf);
			pl_strbuf_release(&sb);
		}
	}
	/* The suppression engine's meta rules (rule.h) are reported by prodlint itself:
	 * their files hold only the text, and only they may go without a matcher. */
	bool engine = raw->id && pl_rule_id_is_engine(raw->id);
	if (engine && (raw->match || raw->config || raw->repo))
		error_path(ld, FIELD_PATH("id"), false,
			   "'%s' is reported by prodlint's suppression engine: it takes no 'match', "
			   "'config' or 'repo'", raw->id);
	else if (!engine && !raw->match_count && !raw->config_count && !raw->repo)
		error_path(ld, raw->match ? FIELD_PATH("match") : base, false,
			   "rule needs a 'match' list of queries, a 'config' list of checks or a "
			   "'repo' check on facts");
	if (raw->message && is_blank(raw->message))
		error_path(ld, FIELD_PATH("message"), false, "'message' must not be empty");
	if (raw->snippet && strcmp(raw->snippet, "show") != 0 && strcmp(raw->snippet, "hide") != 0)
		error_path(ld, FIELD_PATH("snippet"), false, "snippet '%s' is not one of show, hide",
			   raw->snippet);
#undef FIELD_PATH
	if (ld->doc.errors != before)
		return NULL;

	pl_rule *rule = pl_xcalloc(1, sizeof(*rule));
	rule->id = pl_xstrdup(raw->id);
	rule->title = pl_xstrdup(raw->title);
	rule->category = pl_xstrdup(raw->category);
	rule->message = pl_xstrdup(raw->message ? raw->message : raw->title);
	/* A folded `>` message ends in a newline: trim it. */
	size_t ml = strlen(rule->message);
	while (ml && isspace((unsigned char)rule->message[ml - 1]))
		rule->message[--ml] = '\0';
	rule->rationale = dup_or_null(raw->rationale);
	rule->remediation = dup_or_null(raw->remediation);
	rule->severity = sev;
	rule->hide_snippet = raw->snippet && strcmp(raw->snippet, "hide") == 0;
	rule->checklist = pl_xcalloc(raw->checklist_count, sizeof(char *));
	for (unsigned i = 0; i < raw->checklist_count; i++)
		rule->checklist[i] = pl_xstrdup(raw->checklist[i]);
	rule->checklist_len = raw->checklist_count;
	rule->source_path = pl_xstrdup(ld->doc.path);
	char idpath[512];
	snprintf(idpath, sizeof(idpath), "%s%sid", base, *base ? "." : "");
	const pl_yaml_entry *e = pl_yaml_index_find(&ld->doc.index, idpath);
	rule->source_line = e ? e->line : 1;
	if (compile_matchers(ld, rule, raw, base) < 0 ||
	    compile_config_matchers(ld, rule, raw, base) < 0 ||
	    compile_repo(ld, rule, raw, base) < 0) {
		pl_rule_delete(rule);
		return NULL;
	}
	return rule;
}

static bool single_present(const raw_rule *r)
{
	return r->id || r->title || r->severity || r->category || r->checklist || r->message ||
	       r->rationale || r->remediation || r->match || r->config || r->repo;
}

/* Load one rule file's bytes; `path` names it in errors. `data` needs no NUL. */
static int load_data(pl_ruleset *rs, const char *path, const char *data, size_t len,
		     pl_diags *diags)
{
	if (!rs->cache)
		rs->cache = pl_query_cache_new();
	loader ld = { .cache = rs->cache, .defer = rs->defer_queries };
	pl_yaml_doc_init(&ld.doc, path, diags);
	int added = 0;
	raw_file *raw = NULL;
	if (pl_yaml_index_build(&ld.doc.index, data, len) < 0) {
		error_at(&ld, ld.doc.index.error_line, ld.doc.index.error_col, "invalid YAML: %s", ld.doc.index.error);
		goto cleanup;
	}
	if (ld.doc.index.documents > 1) {
		error_at(&ld, ld.doc.index.second_doc_line, ld.doc.index.second_doc_col,
			 "a rule file holds one YAML document; a second one starts here "
			 "(put each document in its own file, or list the rules under 'rules:')");
		goto cleanup;
	}
	if (ld.doc.index.has_alias) {
		error_at(&ld, ld.doc.index.alias_line, ld.doc.index.alias_col,
			 "YAML aliases are not allowed in rule files");
		goto cleanup;
	}
	const pl_yaml_entry *root = pl_yaml_index_find(&ld.doc.index, "");
	if (!root) {
		error_at(&ld, 1, 1, "empty rule file: expected a rule or a 'rules:' list");
		goto cleanup;
	}
	/* The root must be a mapping (its first child has a key); libcyaml says so less clearly. */
	if (ld.doc.index.len < 2 || !ld.doc.index.items[1].key) {
		error_at(&ld, root->line, root->col,
			 "a rule file must be a mapping: a rule, or 'rules:' with a list of rules");
		goto cleanup;
	}
	if (pl_yaml_doc_load(&ld.doc, data, len, &pl_rule_file_schema, (void **)&raw) < 0)
		goto cleanup;
	if (!raw) {
		error_at(&ld, 1, 1, "empty rule file: expected a rule or a 'rules:' list");
		goto cleanup;
	}
	bool single = single_present(&raw->single);
	if (single && raw->rules) {
		error_path(&ld, "rules", true,
			   "a rule file holds either one rule or a 'rules:' list, not both");
		goto cleanup;
	}
	if (!single && !raw->rules && !raw->facts) {
		error_at(&ld, 1, 1, "expected a rule, a 'rules:' list or a 'facts:' list");
		goto cleanup;
	}
	pl_rule **fresh = NULL;
	size_t nfresh = 0, capfresh = 0;
	unsigned count = single ? 1 : raw->rules ? raw->rules_count : 0;
	for (unsigned i = 0; i < count; i++) {
		char base[64];
		if (single)
			base[0] = '\0';
		else
			snprintf(base, sizeof(base), "rules[%u]", i);
		pl_rule *rule = build_rule(&ld, single ? &raw->single : &raw->rules[i], base);
		if (rule) {
			PL_GROW(fresh, capfresh, nfresh + 1);
			fresh[nfresh++] = rule;
		}
	}
	for (unsigned i = 0; i < raw->facts_count; i++) {
		pl_rule *fact = build_fact(&ld, &raw->facts[i], i);
		if (fact) {
			PL_GROW(fresh, capfresh, nfresh + 1);
			fresh[nfresh++] = fact;
		}
	}
	if (ld.doc.errors) {
		for (size_t i = 0; i < nfresh; i++)
			pl_rule_delete(fresh[i]);
	} else {
		for (size_t i = 0; i < nfresh; i++) {
			PL_GROW(rs->rules, rs->cap, rs->len + 1);
			rs->rules[rs->len++] = fresh[i];
		}
		added = (int)nfresh;
	}
	free(fresh);

cleanup:
	pl_yaml_doc_free(&pl_rule_file_schema, raw);
	size_t errors = ld.doc.errors;
	pl_yaml_doc_release(&ld.doc);
	return errors ? -1 : added;
}

static int load_file(pl_ruleset *rs, const char *path, pl_diags *diags)
{
	char *data = NULL;
	size_t len = 0;
	pl_read_status st = pl_read_file(path, RULE_FILE_MAX_SIZE, &data, &len);
	if (st != PL_READ_OK) {
		if (st == PL_READ_TOO_LARGE)
			pl_diags_add(diags, path, 0, 0, "rule file is larger than %u bytes", RULE_FILE_MAX_SIZE);
		else
			pl_diags_add(diags, path, 0, 0, "cannot read rule file: %s", strerror(errno));
		return -1;
	}
	int rc = load_data(rs, path, data, len, diags);
	free(data);
	return rc;
}

int pl_ruleset_load_buffer(pl_ruleset *rs, const char *path, const char *data, size_t len,
			   pl_diags *diags)
{
	if (len > RULE_FILE_MAX_SIZE) {
		pl_diags_add(diags, path, 0, 0, "rule file is larger than %u bytes", RULE_FILE_MAX_SIZE);
		return -1;
	}
	return load_data(rs, path, data, len, diags);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_rule_file(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
				  (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

/* Collect rule files below dir, recursively, skipping dot-directories. */
static int collect(const char *dir, char ***files, size_t *n, size_t *cap, pl_diags *diags)
{
	DIR *d = pl_xopendir(dir);
	if (!d) {
		pl_diags_add(diags, dir, 0, 0, "cannot read rule directory: %s", strerror(errno));
		return -1;
	}
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		char *full = pl_path_join(dir, de->d_name);
		struct stat st;
		if (stat(full, &st) < 0) {
			free(full);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (collect(full, files, n, cap, diags) < 0)
				rc = -1;
			free(full);
		} else if (S_ISREG(st.st_mode) && is_rule_file(de->d_name)) {
			PL_GROW(*files, *cap, *n + 1);
			(*files)[(*n)++] = full;
		} else {
			free(full);
		}
	}
	closedir(d);
	return rc;
}

int pl_ruleset_load_path(pl_ruleset *rs, const char *path, pl_diags *diags)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		pl_diags_add(diags, path, 0, 0, "cannot read rules: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(rs, path, diags);
	char **files = NULL;
	size_t n = 0, cap = 0;
	int rc = collect(path, &files, &n, &cap, diags);
	if (n)
		qsort(files, n, sizeof(char *), cmp_str);
	int total = 0;
	for (size_t i = 0; i < n; i++) {
		int added = load_file(rs, files[i], diags);
		if (added < 0)
			rc = -1;
		else
			total += added;
		free(files[i]);
	}
	free(files);
	return rc < 0 ? -1 : total;
}
