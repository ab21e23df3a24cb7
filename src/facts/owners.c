#define _GNU_SOURCE
#include "facts/owners.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/fs.h"
#include "util/strbuf.h"
#include "util/wildmatch.h"
#include "util/xalloc.h"

/* Paths that steer a model. Globs over the whole relative path. */
static const char *const ai_config_globs[] = {
	"**/prompts/**", "prompts/**", "**/prompt_templates/**",
	"**/*.prompt", "*.prompt", "**/*.prompty", "*.prompty",
	"**/*prompt*.txt", "*prompt*.txt", "**/*prompt*.md", "*prompt*.md",
	"**/*prompt*.j2", "*prompt*.j2", "**/*prompt*.jinja", "*prompt*.jinja",
	"**/*prompt*.y*ml", "*prompt*.y*ml",
	"**/promptfooconfig.*", "promptfooconfig.*",
	"**/llm*.y*ml", "llm*.y*ml", "**/llm*.json", "llm*.json", "**/llm*.toml", "llm*.toml",
	"**/model_config.*", "model_config.*", "**/models.y*ml", "models.y*ml",
	"**/agents/**/tools/**", "**/agent/tools/**",
	/* Prompt modules: code whose job is to hold prompts. */
	"**/prompts.py", "prompts.py", "**/*_prompts.py", "*_prompts.py",
	"**/prompts.ts", "prompts.ts", "**/prompts.js", "prompts.js", "**/prompts.go", "prompts.go",
	NULL,
};

#define NGLOBS (sizeof(ai_config_globs) / sizeof(ai_config_globs[0]) - 1)

/* Each glob's longest run of plain characters (no wildcard, class or
 * slash, which `**` may absorb): a path it matches holds that run, so
 * most paths are turned away by a substring search instead of a match of
 * every glob (the repository phase asks this of every file it saw). */
static struct literal_run {
	size_t at, len;
} glob_runs[NGLOBS];
/* The runs that hold no other run: every run holds one of them, so a path
 * without any is turned away after a handful of searches, not one a glob
 * ("prompt" stands for "prompts.py", ".prompt", ...). None if some glob has
 * no run at all. */
static size_t key_globs[NGLOBS]; /* the globs whose runs these are */
static size_t nkey_globs;
static pthread_once_t glob_runs_once = PTHREAD_ONCE_INIT;

static const char *run_text(size_t glob)
{
	return ai_config_globs[glob] + glob_runs[glob].at;
}

/* Does glob a's run hold glob b's (a different glob's, or an equal earlier one)? */
static bool run_holds(size_t a, size_t b)
{
	const struct literal_run *x = &glob_runs[a], *y = &glob_runs[b];
	if (y->len > x->len || !memmem(run_text(a), x->len, run_text(b), y->len))
		return false;
	return y->len < x->len || b < a;
}

static void find_glob_runs(void)
{
	bool every_glob_has_one = true;
	for (size_t i = 0; i < NGLOBS; i++) {
		const char *g = ai_config_globs[i];
		size_t start = 0;
		for (size_t k = 0;; k++) {
			bool plain = g[k] && !strchr("*?[]\\/", g[k]);
			if (plain)
				continue;
			if (k - start > glob_runs[i].len)
				glob_runs[i] = (struct literal_run){ start, k - start };
			if (!g[k])
				break;
			start = k + 1;
		}
		every_glob_has_one &= glob_runs[i].len > 0;
	}
	for (size_t i = 0; every_glob_has_one && i < NGLOBS; i++) {
		bool holds_other = false;
		for (size_t k = 0; k < NGLOBS && !holds_other; k++)
			holds_other = k != i && run_holds(i, k);
		if (!holds_other)
			key_globs[nkey_globs++] = i;
	}
}

bool pl_owners_is_ai_config(const char *path)
{
	pthread_once(&glob_runs_once, find_glob_runs);
	size_t n = strlen(path);
	bool key = nkey_globs == 0;
	for (size_t k = 0; k < nkey_globs && !key; k++)
		key = memmem(path, n, run_text(key_globs[k]), glob_runs[key_globs[k]].len) != NULL;
	if (!key)
		return false;
	for (size_t i = 0; i < NGLOBS; i++) {
		const struct literal_run *r = &glob_runs[i];
		if (r->len && !memmem(path, n, run_text(i), r->len))
			continue;
		if (pl_wildmatch(ai_config_globs[i], path, PL_WM_PATHNAME))
			return true;
	}
	return false;
}

typedef struct owner_rule {
	char *pattern;       /* as a wildmatch glob over the path */
	bool has_owners;
} owner_rule;

/* A CODEOWNERS pattern as globs: anchored if it has a slash before its end,
 * a directory pattern covers everything under it. */
static void add_pattern(owner_rule **rules, size_t *n, size_t *cap, const char *pat, bool owners)
{
	pl_strbuf glob = PL_STRBUF_INIT;
	size_t len = strlen(pat);
	bool dir_only = len > 1 && pat[len - 1] == '/';
	const char *body = pat;
	if (*body == '/')
		body++;
	size_t blen = strlen(body) - (dir_only ? 1 : 0);
	bool anchored = pat[0] == '/' || memchr(body, '/', blen) != NULL;
	if (!anchored)
		pl_strbuf_adds(&glob, "**/");
	pl_strbuf_add(&glob, body, blen);
	/* Either the path itself or anything below it. */
	char *base = pl_strbuf_detach(&glob);
	for (int below = 0; below < 2; below++) {
		if (dir_only && !below)
			continue;
		PL_GROW(*rules, *cap, *n + 1);
		pl_strbuf g = PL_STRBUF_INIT;
		pl_strbuf_adds(&g, base);
		if (below)
			pl_strbuf_adds(&g, "/**");
		(*rules)[(*n)++] = (owner_rule){ pl_strbuf_detach(&g), owners };
	}
	free(base);
}

void pl_owners_analyse(const char *root, const char *const *paths, size_t npaths, pl_facts *out)
{
	static const char *const locations[] = { ".github/CODEOWNERS", "CODEOWNERS",
						 "docs/CODEOWNERS", ".gitlab/CODEOWNERS", NULL };
	char *text = NULL;
	size_t len = 0;
	const char *where = NULL;
	for (const char *const *loc = locations; *loc && !text; loc++) {
		char *p = pl_path_join(root, *loc);
		if (pl_read_file(p, (size_t)1 << 20, &text, &len) == PL_READ_OK)
			where = *loc;
		else
			text = NULL;
		free(p);
	}
	owner_rule *rules = NULL;
	size_t nrules = 0, cap = 0;
	if (text) {
		pl_facts_add(out, "has-codeowners", where, 1, 1, "CODEOWNERS");
		char *save = NULL;
		bool section_owned = false; /* GitLab: `[Section] @owners` gives defaults */
		for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			while (*line == ' ' || *line == '\t')
				line++;
			if (*line == '#' || *line == '\0' || *line == '\r')
				continue;
			if (*line == '[' || (*line == '^' && line[1] == '[')) {
				char *close = strchr(line, ']');
				section_owned = false;
				if (close) {
					char *rest = close + 1;
					if (*rest == '[') /* [Section][2]: required approvals */
						rest = strchr(rest, ']') ? strchr(rest, ']') + 1 : rest;
					char *comment = strchr(rest, '#');
					if (comment)
						*comment = '\0';
					section_owned = strchr(rest, '@') != NULL;
				}
				continue;
			}
			char *pat = line;
			while (*line && *line != ' ' && *line != '\t' && *line != '\r')
				line++;
			bool owners = false;
			if (*line) {
				*line++ = '\0';
				for (; *line && *line != '#'; line++)
					if (*line != ' ' && *line != '\t' && *line != '\r')
						owners = true;
			}
			add_pattern(&rules, &nrules, &cap, pat, owners || section_owned);
		}
	}
	for (size_t i = 0; i < npaths; i++) {
		if (!pl_owners_is_ai_config(paths[i]))
			continue;
		pl_facts_add(out, "ai-config-file", paths[i], 1, 1, "a file that steers a model");
		bool owned = false;
		for (size_t r = 0; r < nrules; r++) /* last match wins */
			if (pl_wildmatch(rules[r].pattern, paths[i], PL_WM_PATHNAME))
				owned = rules[r].has_owners;
		if (!owned)
			pl_facts_add(out, "unowned-ai-config", paths[i], 1, 1, "%s",
				     text ? "no CODEOWNERS line assigns it an owner"
					  : "the repository has no CODEOWNERS file");
	}
	for (size_t r = 0; r < nrules; r++)
		free(rules[r].pattern);
	free(rules);
	free(text);
}
