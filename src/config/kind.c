#include "config/kind.h"
#include "config/reader.h"

#include <string.h>
#include <sys/stat.h>

#include "util/fs.h"
#include "util/wildmatch.h"
#include "util/xalloc.h"

#include <stdlib.h>

static bool is_lang(const pl_language *lang, const char *name)
{
	return lang && strcmp(lang->name, name) == 0;
}

static bool sibling_exists(const char *fs_path, const char *name)
{
	const char *slash = strrchr(fs_path, '/');
	char *dir = slash ? pl_xstrndup(fs_path, (size_t)(slash - fs_path)) : pl_xstrdup(".");
	char *p = pl_path_join(dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	free(dir);
	return ok;
}

pl_file_kind pl_config_kind_from_path(const char *path, const char *fs_path,
				      const pl_language *lang)
{
	if (is_lang(lang, "dockerfile"))
		return PL_KIND_DOCKERFILE;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (is_lang(lang, "yaml")) {
		if (pl_wildmatch("**/.github/workflows/*", path, PL_WM_PATHNAME) ||
		    pl_wildmatch(".github/workflows/*", path, PL_WM_PATHNAME))
			return PL_KIND_GITHUB_ACTIONS;
		if (strcmp(base, ".gitlab-ci.yml") == 0 || strcmp(base, ".gitlab-ci.yaml") == 0)
			return PL_KIND_GITLAB_CI;
		if (pl_wildmatch("docker-compose*.y*ml", base, 0) || pl_wildmatch("compose*.y*ml", base, 0))
			return PL_KIND_DOCKER_COMPOSE;
		if (pl_wildmatch("values*.y*ml", base, 0) && sibling_exists(fs_path, "Chart.yaml"))
			return PL_KIND_HELM_VALUES;
		return PL_KIND_YAML;
	}
	if (is_lang(lang, "json"))
		return PL_KIND_JSON;
	if (is_lang(lang, "toml"))
		return PL_KIND_TOML;
	return PL_KIND_NONE;
}

unsigned pl_config_possible_kinds(const pl_language *lang)
{
	if (is_lang(lang, "dockerfile"))
		return 1u << PL_KIND_DOCKERFILE;
	if (is_lang(lang, "yaml"))
		return (1u << PL_KIND_KUBERNETES) | (1u << PL_KIND_GITHUB_ACTIONS) |
		       (1u << PL_KIND_GITLAB_CI) | (1u << PL_KIND_DOCKER_COMPOSE) |
		       (1u << PL_KIND_HELM_VALUES) | (1u << PL_KIND_YAML);
	if (is_lang(lang, "json"))
		return (1u << PL_KIND_KUBERNETES) | (1u << PL_KIND_JSON);
	if (is_lang(lang, "toml"))
		return 1u << PL_KIND_TOML;
	return 0;
}

bool pl_config_is_template(const char *path, const char *text, size_t len, unsigned *line)
{
	*line = 0;
	/* A chart's templates/ directory holds Go templates whatever they look like. */
	if (pl_wildmatch("**/templates/*.y*ml", path, PL_WM_PATHNAME) ||
	    pl_wildmatch("templates/*.y*ml", path, PL_WM_PATHNAME) ||
	    pl_wildmatch("**/templates/*.tpl", path, PL_WM_PATHNAME)) {
		*line = 1;
		return true;
	}
	unsigned lineno = 1;
	bool in_comment = false, line_start = true;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (c == '\n') {
			lineno++;
			in_comment = false;
			line_start = true;
			continue;
		}
		if (c == '#' && (line_start || (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))))
			in_comment = true;
		if (c != ' ' && c != '\t')
			line_start = false;
		if (!in_comment && c == '{' && i + 1 < len && text[i + 1] == '{' &&
		    (i == 0 || text[i - 1] != '$')) {
			*line = lineno;
			return true;
		}
	}
	return false;
}

bool pl_config_template_check(pl_file_kind kind)
{
	return kind != PL_KIND_DOCKERFILE && kind != PL_KIND_GITHUB_ACTIONS && kind != PL_KIND_GITLAB_CI;
}

static bool is_k8s_object(const pl_node *doc)
{
	const pl_node *api = pl_node_get(doc, "apiVersion");
	const pl_node *kind = pl_node_get(doc, "kind");
	return api && kind && api->kind == PL_NODE_SCALAR && kind->kind == PL_NODE_SCALAR &&
	       api->type == PL_SCALAR_STRING && kind->type == PL_SCALAR_STRING;
}

void pl_config_refine_kind(pl_config *cfg)
{
	if (cfg->kind != PL_KIND_YAML && cfg->kind != PL_KIND_JSON)
		return;
	bool any = false;
	size_t n = cfg->ndocuments;
	for (size_t d = 0; d < n; d++) {
		const pl_node *doc = cfg->documents[d];
		if (!is_k8s_object(doc))
			continue;
		any = true;
		const char *kind = pl_node_get_text(doc, "kind");
		const pl_node *items = pl_node_get(doc, "items");
		if (kind && strcmp(kind, "List") == 0 && items && items->kind == PL_NODE_SEQUENCE)
			for (size_t i = 0; i < items->nitems; i++)
				if (is_k8s_object(items->items[i]))
					pl_config_add_document(cfg, items->items[i]);
	}
	if (any)
		cfg->kind = PL_KIND_KUBERNETES;
}

pl_file_kind pl_config_detect_kind(const char *path, const char *fs_path, const pl_language *lang,
				   TSParser *parser, const char *text, size_t len)
{
	pl_config cfg = { .kind = pl_config_kind_from_path(path, fs_path, lang) };
	unsigned line;
	if (pl_config_template_check(cfg.kind) && pl_config_is_template(path, text, len, &line))
		return PL_KIND_NONE;
	pl_config_status st = pl_config_read(&cfg, lang, parser, text, len, NULL);
	pl_file_kind kind = PL_KIND_NONE;
	if (st == PL_CONFIG_OK) {
		pl_config_refine_kind(&cfg);
		kind = cfg.kind;
	}
	pl_config_release(&cfg);
	return kind;
}
