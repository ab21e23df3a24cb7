#include "util/wildmatch.h"

#include <ctype.h>
#include <string.h>

enum { WM_NOMATCH = 0, WM_MATCH = 1, WM_ABORT_ALL = -1 };

static int fold(int c, unsigned flags)
{
	return (flags & PL_WM_CASEFOLD) ? tolower(c) : c;
}

/* Match a bracket class at *pp against c; advances *pp past ']'. Returns
 * 1 match, 0 no match, -1 malformed (then '[' is taken literally). */
static int match_class(const char **pp, unsigned char c, unsigned flags)
{
	const char *p = *pp + 1;
	bool negate = false, matched = false;
	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	bool first = true;
	while (*p && (first || *p != ']')) {
		first = false;
		unsigned char lo = (unsigned char)*p;
		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		unsigned char hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			p += 2;
			hi = (unsigned char)*p;
			if (hi == '\\' && p[1])
				hi = (unsigned char)*++p;
		}
		int fc = fold(c, flags);
		if ((c >= lo && c <= hi) || (fc >= fold(lo, flags) && fc <= fold(hi, flags)))
			matched = true;
		p++;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return matched != negate;
}

static int do_match(const char *p, const char *t, unsigned flags)
{
	bool pathname = flags & PL_WM_PATHNAME;
	const char *pstart = p;
	(void)pstart;
	for (; *p; p++, t++) {
		switch (*p) {
		case '?':
			if (!*t || (pathname && *t == '/'))
				return WM_NOMATCH;
			break;
		case '[': {
			if (!*t || (pathname && *t == '/'))
				return WM_NOMATCH;
			const char *q = p;
			int r = match_class(&q, (unsigned char)*t, flags);
			if (r < 0) {
				if (*t != '[')
					return WM_NOMATCH;
				break;
			}
			if (!r)
				return WM_NOMATCH;
			p = q - 1;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			if (fold((unsigned char)*p, flags) != fold((unsigned char)*t, flags))
				return WM_NOMATCH;
			break;
		case '*': {
			bool dbl = p[1] == '*';
			const char *prev = p;
			while (*p == '*')
				p++;
			if (pathname && dbl) {
				bool seg_start = prev == pstart || prev[-1] == '/';
				if (seg_start && *p == '\0')
					return WM_MATCH;
				if (seg_start && *p == '/') {
					/* `**` + `/rest`: zero or more directories. */
					const char *rest = p + 1;
					for (const char *s = t;; s++) {
						if (s == t || s[-1] == '/') {
							int r = do_match(rest, s, flags);
							if (r != WM_NOMATCH)
								return r;
						}
						if (!*s)
							return WM_ABORT_ALL;
					}
				}
			}
			if (*p == '\0') {
				if (pathname && strchr(t, '/'))
					return WM_NOMATCH;
				return WM_MATCH;
			}
			for (;; t++) {
				int r = do_match(p, t, flags);
				if (r != WM_NOMATCH)
					return r;
				if (!*t)
					return WM_ABORT_ALL;
				if (pathname && *t == '/')
					return WM_NOMATCH;
			}
		}
		default:
			if (!*t || fold((unsigned char)*p, flags) != fold((unsigned char)*t, flags))
				return WM_NOMATCH;
			break;
		}
	}
	return *t ? WM_NOMATCH : WM_MATCH;
}

bool pl_wildmatch(const char *pattern, const char *text, unsigned flags)
{
	return do_match(pattern, text, flags) == WM_MATCH;
}

bool pl_has_glob_chars(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == '*' || *s == '?' || *s == '[')
			return true;
	}
	return false;
}
