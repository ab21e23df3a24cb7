#include <stdbool.h>
#include <string.h>

#include "lang/lang_private.h"
#include "util/text.h"
#include "util/wildmatch.h"

/* Adding a language: one file defining its pl_language, one line here. */
static const pl_language *const all_languages[] = {
	&pl_lang_python,
	&pl_lang_javascript,
	&pl_lang_typescript,
	&pl_lang_tsx,
	&pl_lang_go,
	&pl_lang_yaml,
	&pl_lang_json,
	&pl_lang_toml,
	&pl_lang_dockerfile,
};

const pl_language *const *pl_languages(size_t *count)
{
	*count = sizeof(all_languages) / sizeof(all_languages[0]);
	return all_languages;
}

const pl_language *pl_language_by_name(const char *name)
{
	size_t n;
	const pl_language *const *langs = pl_languages(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(langs[i]->name, name) == 0)
			return langs[i];
	return NULL;
}

const pl_node_edges *pl_language_node_edges(const pl_language *lang, const char *type, size_t len)
{
	if (!lang || !lang->node_edges || !type)
		return NULL;
	for (const pl_node_edges *e = lang->node_edges; e->type; e++)
		if (strlen(e->type) == len && memcmp(e->type, type, len) == 0)
			return e;
	return NULL;
}

const pl_field_edges *pl_language_field_edges(const pl_language *lang, const char *parent,
					      size_t parent_len, const char *field, size_t field_len)
{
	if (!lang || !lang->field_edges || !parent)
		return NULL;
	for (const pl_field_edges *e = lang->field_edges; e->parent; e++) {
		if (strlen(e->parent) != parent_len || memcmp(e->parent, parent, parent_len) != 0)
			continue;
		if (!field ? !e->field
			   : e->field && strlen(e->field) == field_len &&
				     memcmp(e->field, field, field_len) == 0)
			return e;
	}
	return NULL;
}

bool pl_language_is_declaration_file(const pl_language *lang, const char *path)
{
	if (!lang || !lang->declaration_suffixes)
		return false;
	size_t n = strlen(path);
	for (const char *const *s = lang->declaration_suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && memcmp(path + n - k, *s, k) == 0 && path[n - k - 1] != '/')
			return true;
	}
	return false;
}

/* "#!/usr/bin/env -S python3 -u" -> "python3"; version suffixes ("python3.11") match their stem. */
static const pl_language *by_shebang(const char *head, size_t len)
{
	if (len < 3 || head[0] != '#' || head[1] != '!')
		return NULL;
	size_t end = 2;
	while (end < len && head[end] != '\n' && head[end] != '\r')
		end++;
	const char *p = head + 2, *stop = head + end;
	const char *words[4];
	size_t lens[4], nwords = 0;
	while (p < stop && nwords < 4) {
		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		const char *w = p;
		while (p < stop && *p != ' ' && *p != '\t')
			p++;
		if (p > w) {
			words[nwords] = w;
			lens[nwords++] = (size_t)(p - w);
		}
	}
	if (nwords == 0)
		return NULL;
	/* Take the basename of the first word; with env, the first word not starting with '-'. */
	size_t pick = 0;
	const char *base = words[0];
	for (size_t k = 0; k < lens[0]; k++)
		if (words[0][k] == '/')
			base = words[0] + k + 1;
	size_t base_len = lens[0] - (size_t)(base - words[0]);
	if (base_len == 3 && memcmp(base, "env", 3) == 0) {
		pick = 1;
		while (pick < nwords && words[pick][0] == '-')
			pick++;
		if (pick >= nwords)
			return NULL;
		base = words[pick];
		base_len = lens[pick];
	}
	size_t n;
	const pl_language *const *langs = pl_languages(&n);
	for (size_t i = 0; i < n; i++) {
		for (const char *const *it = langs[i]->shebang_interpreters; *it; it++) {
			size_t il = strlen(*it);
			if (base_len < il || memcmp(base, *it, il) != 0)
				continue;
			const char *rest = base + il;
			size_t rest_len = base_len - il;
			bool version_only = true;
			for (size_t k = 0; k < rest_len; k++)
				if (!((rest[k] >= '0' && rest[k] <= '9') || rest[k] == '.'))
					version_only = false;
			if (version_only)
				return langs[i];
		}
	}
	return NULL;
}

const pl_language *pl_language_for_path(const char *path, const char *head, size_t head_len)
{
	size_t n, plen = strlen(path);
	const pl_language *const *langs = pl_languages(&n);
	const char *last_slash = strrchr(path, '/');
	const char *basename = last_slash ? last_slash + 1 : path;
	for (size_t i = 0; i < n; i++)
		for (const char *const *f = langs[i]->filenames; f && *f; f++)
			if (pl_wildmatch(*f, basename, 0))
				return langs[i];
	for (size_t i = 0; i < n; i++)
		for (const char *const *ext = langs[i]->extensions; *ext; ext++)
			if (pl_text_ends_with(path, plen, *ext))
				return langs[i];
	if (pl_path_has_extension(path))
		return NULL; /* has an extension we do not know: do not sniff */
	return head ? by_shebang(head, head_len) : NULL;
}

bool pl_path_has_extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	return strchr(base, '.') && base[0] != '.';
}
