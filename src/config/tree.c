#include "config/tree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *const kind_names[PL_KIND_COUNT] = {
	[PL_KIND_NONE] = "none",
	[PL_KIND_KUBERNETES] = "kubernetes",
	[PL_KIND_GITHUB_ACTIONS] = "github-actions",
	[PL_KIND_GITLAB_CI] = "gitlab-ci",
	[PL_KIND_DOCKER_COMPOSE] = "docker-compose",
	[PL_KIND_HELM_VALUES] = "helm-values",
	[PL_KIND_DOCKERFILE] = "dockerfile",
	[PL_KIND_YAML] = "yaml",
	[PL_KIND_JSON] = "json",
	[PL_KIND_TOML] = "toml",
};

const char *pl_file_kind_name(pl_file_kind kind)
{
	return (unsigned)kind < PL_KIND_COUNT ? kind_names[kind] : "?";
}

pl_file_kind pl_file_kind_parse(const char *name)
{
	for (int i = 1; i < PL_KIND_COUNT; i++)
		if (strcmp(kind_names[i], name) == 0)
			return (pl_file_kind)i;
	return PL_KIND_NONE;
}

void pl_config_release(pl_config *cfg)
{
	pl_arena_release(&cfg->arena);
	cfg->documents = NULL;
	cfg->ndocuments = 0;
}

pl_node *pl_node_new(pl_config *cfg, pl_node_kind kind)
{
	pl_node *n = pl_arena_alloc(&cfg->arena, sizeof(*n));
	n->kind = kind;
	n->text = "";
	return n;
}

/* Arena arrays grow by doubling; the old block is simply left behind. */
static void *grow(pl_config *cfg, void *items, size_t len, size_t elem)
{
	if (len == 0 || (len & (len - 1)) != 0)
		return items; /* capacity is the next power of two above len */
	void *fresh = pl_arena_alloc(&cfg->arena, len * 2 * elem);
	memcpy(fresh, items, len * elem);
	return fresh;
}

void pl_node_add_pair(pl_config *cfg, pl_node *map, const char *key, size_t key_len,
		      unsigned key_line, unsigned key_col, pl_node *value)
{
	if (map->npairs == 0)
		map->pairs = pl_arena_alloc(&cfg->arena, sizeof(pl_pair));
	else
		map->pairs = grow(cfg, map->pairs, map->npairs, sizeof(pl_pair));
	pl_pair *p = &map->pairs[map->npairs++];
	p->key = pl_arena_strndup(&cfg->arena, key, key_len);
	p->key_len = key_len;
	p->key_line = key_line;
	p->key_col = key_col;
	p->value = value;
}

void pl_node_add_item(pl_config *cfg, pl_node *seq, pl_node *item)
{
	if (seq->nitems == 0)
		seq->items = pl_arena_alloc(&cfg->arena, sizeof(pl_node *));
	else
		seq->items = grow(cfg, seq->items, seq->nitems, sizeof(pl_node *));
	seq->items[seq->nitems++] = item;
}

void pl_config_add_document(pl_config *cfg, pl_node *root)
{
	if (cfg->ndocuments == 0)
		cfg->documents = pl_arena_alloc(&cfg->arena, sizeof(pl_node *));
	else
		cfg->documents = grow(cfg, cfg->documents, cfg->ndocuments, sizeof(pl_node *));
	cfg->documents[cfg->ndocuments++] = root;
}

static bool all_match(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr(set, s[i]))
			return false;
	return true;
}

void pl_node_type_plain_scalar(pl_node *n)
{
	const char *s = n->text;
	size_t len = n->text_len;
	n->type = PL_SCALAR_STRING;
	if (len == 0 || (len == 1 && s[0] == '~') || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0) {
		n->type = PL_SCALAR_NULL;
		return;
	}
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		n->type = PL_SCALAR_BOOL;
		n->boolean = true;
		return;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		n->type = PL_SCALAR_BOOL;
		n->boolean = false;
		return;
	}
	const char *digits = s + ((s[0] == '-' || s[0] == '+') ? 1 : 0);
	size_t dlen = len - (size_t)(digits - s);
	if (all_match(digits, dlen, "0123456789")) {
		n->type = PL_SCALAR_INT;
		n->number = strtod(s, NULL);
		return;
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o') &&
	    all_match(s + 2, len - 2, s[1] == 'x' ? "0123456789abcdefABCDEF" : "01234567")) {
		n->type = PL_SCALAR_INT;
		n->number = (double)strtoull(s + 2, NULL, s[1] == 'x' ? 16 : 8);
		return;
	}
	if (!strcmp(digits, ".inf") || !strcmp(digits, ".Inf") || !strcmp(digits, ".INF")) {
		n->type = PL_SCALAR_FLOAT;
		n->number = s[0] == '-' ? -INFINITY : INFINITY;
		return;
	}
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		n->type = PL_SCALAR_FLOAT;
		n->number = NAN;
		return;
	}
	/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
	const char *p = digits;
	size_t int_digits = 0, frac_digits = 0;
	while (*p >= '0' && *p <= '9')
		p++, int_digits++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, frac_digits++;
	}
	if (int_digits + frac_digits == 0)
		return;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == '\0' && (strchr(digits, '.') || strchr(digits, 'e') || strchr(digits, 'E'))) {
		n->type = PL_SCALAR_FLOAT;
		n->number = strtod(s, NULL);
	}
}

const pl_pair *pl_node_get_pair(const pl_node *map, const char *key)
{
	if (!map || map->kind != PL_NODE_MAPPING)
		return NULL;
	size_t klen = strlen(key);
	/* The last occurrence wins, as in most YAML loaders. */
	for (size_t i = map->npairs; i-- > 0;)
		if (map->pairs[i].key_len == klen && memcmp(map->pairs[i].key, key, klen) == 0)
			return &map->pairs[i];
	return NULL;
}

const pl_node *pl_node_get(const pl_node *map, const char *key)
{
	const pl_pair *p = pl_node_get_pair(map, key);
	return p ? p->value : NULL;
}

const char *pl_node_get_text(const pl_node *map, const char *key)
{
	const pl_node *n = pl_node_get(map, key);
	return n && n->kind == PL_NODE_SCALAR ? n->text : NULL;
}
