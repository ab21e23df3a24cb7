#include "match/regex_syntax.h"

#include <ctype.h>

size_t pl_regex_escape_end(const char *s, size_t len, size_t i)
{
	if (i + 1 >= len || s[i + 1] == 'Q')
		return 0;
	size_t end = i + (s[i + 1] == 'c' ? 3 : 2);
	return end <= len ? end : 0;
}

size_t pl_regex_class_end(const char *s, size_t len, size_t i)
{
	i++; /* [ */
	if (i < len && s[i] == '^')
		i++;
	if (i < len && s[i] == ']')
		i++;
	while (i < len) {
		if (s[i] == '\\') {
			i = pl_regex_escape_end(s, len, i);
			if (!i)
				return 0;
		} else if (s[i] == '[' && i + 1 < len && s[i + 1] == ':') {
			size_t j = i + 2;
			if (j < len && s[j] == '^')
				j++;
			while (j < len && isalpha((unsigned char)s[j]))
				j++;
			i = j + 1 < len && s[j] == ':' && s[j + 1] == ']' ? j + 2 : i + 1;
		} else if (s[i] == ']') {
			return i + 1;
		} else {
			i++;
		}
	}
	return 0;
}

size_t pl_regex_group_end(const char *s, size_t len, size_t i)
{
	int depth = 1;
	while (i < len) {
		if (s[i] == '\\') {
			i = pl_regex_escape_end(s, len, i);
		} else if (s[i] == '[') {
			i = pl_regex_class_end(s, len, i);
		} else {
			if (s[i] == '(')
				depth++;
			else if (s[i] == ')' && --depth == 0)
				return i + 1;
			i++;
		}
		if (!i)
			return 0;
	}
	return 0;
}
