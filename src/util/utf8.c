#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

#include "util/strbuf.h"

size_t pl_utf8_sequence_length(const char *str, size_t avail)
{
	const unsigned char *s = (const unsigned char *)str;
	if (avail == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2, min = 0x80, cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3, min = 0x800, cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

bool pl_utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		uint64_t w; /* eight ASCII bytes at once */
		if (i + 8 <= len && (memcpy(&w, s + i, 8), (w & 0x8080808080808080u) == 0)) {
			i += 8;
			continue;
		}
		size_t n = pl_utf8_sequence_length(s + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

char *pl_utf8_sanitize(const char *s)
{
	size_t len = strlen(s);
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < len;) {
		size_t n = pl_utf8_sequence_length(s + i, len - i);
		if (n) {
			pl_strbuf_add(&sb, s + i, n);
			i += n;
		} else {
			pl_strbuf_adds(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	return pl_strbuf_detach(&sb);
}

void pl_utf8_encode(pl_strbuf *sb, unsigned long cp)
{
	char b[4];
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		pl_strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		pl_strbuf_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		pl_strbuf_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		pl_strbuf_add(sb, b, 4);
	}
}

bool pl_utf16_to_utf8(const char *s, size_t len, char **out, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	if (len < 2 || !((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
		return false;
	bool le = u[0] == 0xFF;
	pl_strbuf sb = PL_STRBUF_INIT;
	size_t i = 2;
	while (i + 1 < len) {
		unsigned long cp = le ? (unsigned long)u[i] | (unsigned long)u[i + 1] << 8
				      : (unsigned long)u[i] << 8 | (unsigned long)u[i + 1];
		i += 2;
		if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < len) {
			unsigned long lo = le ? (unsigned long)u[i] | (unsigned long)u[i + 1] << 8
					      : (unsigned long)u[i] << 8 | (unsigned long)u[i + 1];
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		pl_utf8_encode(&sb, cp); /* a lone surrogate becomes U+FFFD */
	}
	if (i < len)
		pl_utf8_encode(&sb, 0xFFFD);
	*out_len = sb.len;
	*out = pl_strbuf_detach(&sb);
	return true;
}
