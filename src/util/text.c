#include "util/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "util/xalloc.h"

char *pl_text_line_at(const char *text, size_t len, size_t byte)
{
	size_t s = byte, e = byte;
	while (s > 0 && text[s - 1] != '\n')
		s--;
	while (e < len && text[e] != '\n')
		e++;
	while (e > s && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t'))
		e--;
	if (e - s > 400)
		e = s + 400;
	return pl_xstrndup(text + s, e - s);
}

char *pl_text_normalised(const char *s, size_t n)
{
	pl_strbuf sb = PL_STRBUF_INIT;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)s[i])) {
			space = true;
			continue;
		}
		if (space && sb.len)
			pl_strbuf_addch(&sb, ' ');
		space = false;
		pl_strbuf_addch(&sb, s[i]);
	}
	return pl_strbuf_detach(&sb);
}

void pl_template_expand(pl_strbuf *out, const char *tmpl, pl_template_fn resolve, void *ctx)
{
	const char *p = tmpl;
	for (;;) {
		const char *open = strstr(p, "{{");
		const char *close = open ? strstr(open + 2, "}}") : NULL;
		if (!close) {
			pl_strbuf_adds(out, p);
			return;
		}
		pl_strbuf_add(out, p, (size_t)(open - p));
		resolve(out, open + 2, (size_t)(close - open - 2), ctx);
		p = close + 2;
	}
}

bool pl_text_listed(char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

bool pl_text_ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}
