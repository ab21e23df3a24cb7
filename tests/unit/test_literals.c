/* Unit tests for src/match/literals.c: the strings a regex cannot match without. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "match/literals.h"
#include "util/regex.h"
#include "util/utf8.h"

/* Append the set's strings to buf as "a|b|c". */
static void join_set(char *buf, const pl_literals *set)
{
	for (size_t i = 0; i < set->len; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, set->items[i]);
	}
}

/* The set for `re` as "a|b|c" in sorted order, or "-" when there is none. */
static const char *lits(const char *re)
{
	static char buf[4096];
	pl_literals set;
	if (!pl_regex_literals(re, strlen(re), &set))
		return "-";
	/* sort for stable comparison */
	for (size_t i = 0; i < set.len; i++)
		for (size_t k = i + 1; k < set.len; k++)
			if (strcmp(set.items[k], set.items[i]) < 0) {
				char t[PL_LITERAL_MAX_LEN + 1];
				size_t tl = set.lens[i];
				memcpy(t, set.items[i], sizeof(t));
				memcpy(set.items[i], set.items[k], sizeof(t));
				memcpy(set.items[k], t, sizeof(t));
				set.lens[i] = set.lens[k];
				set.lens[k] = tl;
			}
	buf[0] = '\0';
	join_set(buf, &set);
	return buf;
}

static void test_exact_products(void **state)
{
	(void)state;
	assert_string_equal(lits("^create$"), "create");
	assert_string_equal(lits("^(requests|httpx)\\.(get|post)$"),
			    "httpx.get|httpx.post|requests.get|requests.post");
	/* a string holding another of the set adds nothing (.SystemMessage) */
	assert_string_equal(lits("(?:^|\\.)SystemMessage$"), "SystemMessage");
	assert_string_equal(lits("x(a|)y"), "xay|xy");
	assert_string_equal(lits("\\Qa.b\\E"), "a.b");
	assert_string_equal(lits("(?<name>abc)d"), "abcd");
	/* a lookaround skipped as PCRE2 reads it: \\c( is one character */
	assert_string_equal(lits("(?=\\c()abc"), "abc");
}

static void test_runs_broken_by_unknowns(void **state)
{
	(void)state;
	/* the most selective run: the one whose shortest string is longest */
	assert_string_equal(lits("ab.cdef"), "cdef");
	assert_string_equal(lits("^openai\\s*\\.\\s*chat"), "openai");
	assert_string_equal(lits("gpt-[0-9]+"), "gpt-");
	assert_string_equal(lits("ab?cd"), "abcd|acd");
	assert_string_equal(lits("a(bc)?d*e"), "e");
	assert_string_equal(lits("(ab)+c"), "ab");
	assert_string_equal(lits("a{2}bc"), "bc");
	/* a lookaround matches no text; what it holds is not required */
	assert_string_equal(lits("(?<![A-Za-z0-9_-])sk-(?!ant-)(?=[A-Z]*x)[A-Za-z0-9_-]{32,}"), "sk-");
	assert_string_equal(lits("(?<![A-Z])AIza(?![A-Z]*(?i:x{5}|fake))[0-9A-Z]{35}"), "AIza");
}

/* A leading (?i): lower-case literals, looked for in folded text
 * (pl_literals_fold); non-ASCII bytes end a run. */
static void test_case_insensitive(void **state)
{
	(void)state;
	pl_literals set;
	assert_true(pl_regex_literals("(?i)OpenAI", 10, &set));
	assert_true(set.nocase);
	assert_string_equal(lits("(?i)OpenAI"), "openai");
	assert_string_equal(lits("(?i)model|^engine$"), "engine|model");
	assert_string_equal(lits("(?i)kind"), "kind");
	assert_string_equal(lits("(?i)max_tokens"), "max_tokens");
	assert_string_equal(lits("(?i)caf\xc3\xa9s"), "caf");
	assert_true(pl_regex_literals("openai", 6, &set));
	assert_false(set.nocase);
}

/* A union too large for a set keeps what every branch contains: strings
 * holding another are dropped, then prefixes shorten until it fits. */
static void test_large_unions(void **state)
{
	(void)state;
	char re[4096] = "^(";
	for (int i = 0; i < 70; i++)
		snprintf(re + strlen(re), sizeof(re) - strlen(re), "%sshared_prefix_%02d_tail",
			 i ? "|" : "", i);
	strcat(re, ")$");
	assert_string_equal(lits(re), "shared_prefix_0|shared_prefix_1|shared_prefix_2|"
				      "shared_prefix_3|shared_prefix_4|shared_prefix_5|shared_prefix_6");
	/* no prefix long enough tells the branches apart: no set */
	char short_re[4096] = "";
	for (int i = 0; i < 70; i++)
		snprintf(short_re + strlen(short_re), sizeof(short_re) - strlen(short_re), "%s%c%c%c",
			 i ? "|" : "", 'a' + i % 26, 'a' + (i / 26) % 26, 'q');
	assert_string_equal(lits(short_re), "-");
}

/* Unions for anchors: mixed cases fold, too large a union shortens. */
static void test_union(void **state)
{
	(void)state;
	pl_literals a, b, u;
	assert_true(pl_regex_literals("^(Model|GPT)$", 13, &a));
	assert_true(pl_regex_literals("(?i)engine", 10, &b));
	assert_true(pl_literals_union(&a, &b, &u));
	assert_true(u.nocase);
	assert_int_equal(u.len, 3);
	assert_string_equal(u.items[0], "model");
	assert_string_equal(u.items[1], "gpt");
	assert_string_equal(u.items[2], "engine");
	/* 40 + 40 strings sharing prefixes: more than a set holds */
	char ra[2048] = "^(", rb[2048] = "^(";
	for (int i = 0; i < 40; i++) {
		snprintf(ra + strlen(ra), sizeof(ra) - strlen(ra), "%salpha_%02d", i ? "|" : "", i);
		snprintf(rb + strlen(rb), sizeof(rb) - strlen(rb), "%sbravo_%02d", i ? "|" : "", i);
	}
	strcat(ra, ")$");
	strcat(rb, ")$");
	assert_true(pl_regex_literals(ra, strlen(ra), &a));
	assert_true(pl_regex_literals(rb, strlen(rb), &b));
	assert_true(pl_literals_union(&a, &b, &u));
	assert_true(u.len <= PL_LITERALS_MAX);
	/* every string of either set still holds one of the union's */
	for (int side = 0; side < 2; side++) {
		const pl_literals *s = side ? &b : &a;
		for (size_t i = 0; i < s->len; i++) {
			bool found = false;
			for (size_t k = 0; k < u.len && !found; k++)
				found = strstr(s->items[i], u.items[k]) != NULL;
			assert_true(found);
		}
	}
}

/* Whole identifier tokens: the neighbours decide; plain names also the dot
 * before them; unions keep tokens whole (no string holding another is
 * dropped: execSync is no place of exec) and mixed places loosen. */
static void test_tokens(void **state)
{
	(void)state;
	const char *t = "exec(x); execSync(y); _exec; 1exec; exec2";
	size_t n = strlen(t);
	assert_true(pl_literal_at(t, n, 0, 4, PL_PLACE_TOKEN));
	assert_false(pl_literal_at(t, n, 9, 4, PL_PLACE_TOKEN));   /* execSync */
	assert_true(pl_literal_at(t, n, 9, 4, PL_PLACE_ANY));
	assert_false(pl_literal_at(t, n, 23, 4, PL_PLACE_TOKEN));  /* _exec */
	assert_true(pl_literal_at(t, n, 30, 4, PL_PLACE_TOKEN));   /* 1exec: a digit before */
	assert_false(pl_literal_at(t, n, 36, 4, PL_PLACE_TOKEN));  /* exec2 */
	assert_true(pl_literal_at(t, n, 0, 4, PL_PLACE_NAME));
	/* a member name is no plain name; a spread or a dot ending a line is */
	const char *m = "re.exec(s); a?. \texec; [...exec]; x.\nexec; x.execSync";
	size_t mn = strlen(m);
	assert_true(pl_literal_at(m, mn, 3, 4, PL_PLACE_TOKEN));
	assert_false(pl_literal_at(m, mn, 3, 4, PL_PLACE_NAME));   /* re.exec */
	assert_false(pl_literal_at(m, mn, 17, 4, PL_PLACE_NAME));  /* a?. \texec */
	assert_true(pl_literal_at(m, mn, 27, 4, PL_PLACE_NAME));   /* ...exec */
	assert_true(pl_literal_at(m, mn, 37, 4, PL_PLACE_NAME));   /* x.\nexec */
	assert_false(pl_literal_at(m, mn, 45, 4, PL_PLACE_NAME));  /* execSync */
	assert_false(pl_literal_at(".exec", 5, 1, 4, PL_PLACE_NAME)); /* at the start */
	pl_literals a = { .len = 0 }, b = { .len = 0 }, u;
	strcpy(a.items[0], "exec");
	a.lens[0] = 4;
	a.len = 1;
	a.place = PL_PLACE_TOKEN;
	strcpy(b.items[0], "execSync");
	b.lens[0] = 8;
	b.len = 1;
	b.place = PL_PLACE_TOKEN;
	assert_true(pl_literals_union(&a, &b, &u));
	assert_int_equal(u.place, PL_PLACE_TOKEN);
	assert_int_equal(u.len, 2);
	b.place = PL_PLACE_NAME; /* names and tokens: tokens */
	assert_true(pl_literals_union(&a, &b, &u));
	assert_int_equal(u.place, PL_PLACE_TOKEN);
	assert_int_equal(u.len, 2);
	b.place = PL_PLACE_ANY; /* a substring set: the union is one too, and prunes */
	assert_true(pl_literals_union(&a, &b, &u));
	assert_int_equal(u.place, PL_PLACE_ANY);
	assert_int_equal(u.len, 1);
	assert_string_equal(u.items[0], "exec");
}

/* The byte-at-a-time folding the eight-byte path must equal. */
static size_t fold_reference(const unsigned char *t, size_t len, unsigned char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == 0xE2 && i + 2 < len && t[i + 1] == 0x84 && t[i + 2] == 0xAA) {
			out[n++] = 'k';
			i += 2;
		} else if (t[i] == 0xC5 && i + 1 < len && t[i + 1] == 0xBF) {
			out[n++] = 's';
			i++;
		} else {
			out[n++] = t[i] >= 'A' && t[i] <= 'Z' ? (unsigned char)(t[i] + 32) : t[i];
		}
	}
	return n;
}

/* Folding and UTF-8 checking take eight ASCII bytes at a time: the same
 * answers as byte by byte, whatever the length, the place of non-ASCII
 * bytes (a Kelvin sign, a long s, a stray continuation byte) and the
 * letters at the edges of A-Z. */
static void test_fold_and_utf8_fast_paths(void **state)
{
	(void)state;
	static const char *const pieces[] = { "A", "Z", "@", "[", "`", "{", "a", "z", "0", " ",
					      "\xE2\x84\xAA", "\xC5\xBF", "\xC3\xA9", "\x80",
					      "\xE2\x84", "MODEL", "gpt-4o" };
	unsigned seed = 7;
	for (int round = 0; round < 2000; round++) {
		unsigned char text[256], got[256], want[256];
		size_t len = 0;
		seed = seed * 1103515245u + 12345u;
		size_t pieces_n = (seed >> 16) % 40;
		for (size_t k = 0; k < pieces_n; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			/* mostly ASCII, so that the eight-byte path runs */
			if (round % 3 && (unsigned char)p[0] >= 0x80)
				p = "Q";
			size_t n = strlen(p);
			memcpy(text + len, p, n);
			len += n;
		}
		size_t n = pl_literals_fold((const char *)text, len, (char *)got);
		assert_int_equal(n, fold_reference(text, len, want));
		assert_memory_equal(got, want, n);
		bool valid = true;
		for (size_t i = 0; i < len && valid;) {
			size_t step = pl_utf8_sequence_length((const char *)text + i, len - i);
			valid = step > 0;
			i += step;
		}
		assert_int_equal(pl_utf8_valid((const char *)text, len), valid);
	}
}

static void test_no_set(void **state)
{
	(void)state;
	assert_string_equal(lits(".*"), "-");
	assert_string_equal(lits("[a-z]+"), "-");
	assert_string_equal(lits("a|.*"), "-");     /* one branch requires nothing */
	assert_string_equal(lits("(?i:openai)"), "-"); /* scoped flags: any casing matches */
	assert_string_equal(lits("a(?i)b"), "-");      /* flags only at the start are read */
	assert_string_equal(lits("(?i)\xc3\xa9"), "-"); /* no ASCII run */
	assert_string_equal(lits("(a)\\1"), "-");   /* back-references are not read */
	assert_string_equal(lits("a?"), "-");
	assert_string_equal(lits("^$"), "-");
	assert_string_equal(lits("(unbalanced"), "-");
	assert_string_equal(lits("x{,3}"), "-");
}

/* The property the prefilter relies on: every text a regex matches
 * contains one of its literals. Checked with PCRE2 on sample texts. */
/* The sets a regex requires at once, each as lits() prints a set. */
static const char *conjuncts(const char *re)
{
	static char buf[4096];
	pl_literals sets[PL_REGEX_CONJUNCTS];
	size_t n = pl_regex_conjuncts(re, strlen(re), sets, NULL);
	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		if (k)
			strcat(buf, " & ");
		join_set(buf, &sets[k]);
	}
	return n ? buf : "-";
}

static void test_conjuncts(void **state)
{
	(void)state;
	/* a sequence broken by unknowns requires each of its runs */
	assert_string_equal(conjuncts("(request|route)\\s*(human|operator)"),
			    "request|route & human|operator");
	assert_string_equal(conjuncts("openai\\.\\w+\\.create"), "openai. & .create");
	/* alternatives: A1 & A2 | B gives (A1 | B) & (A2 | B) */
	assert_string_equal(conjuncts("a1x\\s*a2yy|bbb"), "a2yy|bbb & a1x|bbb");
	/* an exact product needs no conjuncts; optional parts require nothing */
	assert_string_equal(conjuncts("(get|post)_(a|b)"), "get_a|get_b|post_a|post_b");
	assert_string_equal(conjuncts("abc(\\s*def)?"), "abc");
	/* at most PL_REGEX_CONJUNCTS, the most selective kept */
	assert_string_equal(conjuncts("aa\\s*bbbb\\s*ccc\\s*ddddd"), "ddddd & bbbb & ccc");
	assert_string_equal(conjuncts("a.b"), "a & b");
	assert_string_equal(conjuncts("a.*|b?"), "-");
}

static void test_matches_contain_a_literal(void **state)
{
	(void)state;
	static const struct {
		const char *re;
		const char *texts[4];
	} cases[] = {
		{ "^(requests|httpx|self\\._?(session|client))\\.(get|post)$",
		  { "requests.get", "self._session.post", "self.client.get", "httpx.post" } },
		{ "(?:^|\\.)(SystemMessage|system_message)$", { "SystemMessage", "lc.system_message", NULL } },
		{ "ab+c(d|ef)*g", { "abbbcg", "abcdefg", "abcg", NULL } },
		{ "\\bgpt-4(?:o|-turbo)?\\b", { "gpt-4", "gpt-4o", "use gpt-4-turbo now", NULL } },
		{ "(?i)model|^engine$", { "MODEL_NAME", "llm_Model", "Engine", NULL } },
		{ "(?i)kind", { "KIND", "\xe2\x84\xaaind", NULL } }, /* Kelvin sign */
		{ "(?i)escalate|hand_?off", { "ESCALATE", "e\xc5\xbf" "calate", "Hand_Off", "handoff" } },
		{ "(?i)^(escalat[a-z_]*|(create|open|file|raise|submit)_(a_)?(support_|helpdesk_)?ticket|"
		  "(request|connect|route)_(to_)?(a_)?(human|live_agent|operator)|talk_to_(a_|an_)?"
		  "(human|agent|person|operator))$",
		  { "Raise_A_Helpdesk_Ticket", "route_to_a_live_agent", "talk_to_an_operator",
		    "escalate_now" } },
		/* several sets at once, and spread over alternatives */
		{ "(request|route)\\s*(human|operator)", { "request  human", "routeoperator", NULL } },
		{ "a1x\\s*a2y|bbb", { "a1x a2y", "bbb", NULL } },
		{ "(?i)^_?(escalat|(request|connect|route)_?(to_?)?(a_?)?(human|live_?agent|operator))",
		  { "requestToHuman", "route_operator", "escalate", "_connectaliveagent" } },
		{ "x(ab\\d+cd|ef)y\\s+zz(gh|ij\\s*kl)", { "xab12cdy zzgh", "xefy\tzzij kl", NULL } },
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		char err[256];
		size_t off;
		pl_regex *re = pl_regex_compile(cases[c].re, strlen(cases[c].re), err, sizeof(err), &off);
		assert_non_null(re);
		pl_literals sets[PL_REGEX_CONJUNCTS];
		size_t nsets = pl_regex_conjuncts(cases[c].re, strlen(cases[c].re), sets, NULL);
		assert_true(nsets > 0);
		for (size_t t = 0; t < 4 && cases[c].texts[t]; t++) {
			const char *text = cases[c].texts[t];
			assert_true(pl_regex_search(re, text, strlen(text)));
			for (size_t k = 0; k < nsets; k++) {
				const pl_literals *set = &sets[k];
				char folded[256];
				size_t n = strlen(text);
				assert_true(n < sizeof(folded));
				if (set->nocase)
					n = pl_literals_fold(text, n, folded);
				else
					memcpy(folded, text, n);
				folded[n] = '\0';
				bool found = false;
				for (size_t i = 0; i < set->len && !found; i++)
					found = strstr(folded, set->items[i]) != NULL;
				if (!found)
					fail_msg("'%s' matches %s but holds none of its literal set %zu",
						 text, cases[c].re, k);
			}
		}
		pl_regex_delete(re);
	}
}

/* Exact: a text holds a match exactly when it holds a string of the set. */
static bool exact(const char *re)
{
	pl_literals sets[PL_REGEX_CONJUNCTS];
	bool is_exact = true;
	size_t n = pl_regex_conjuncts(re, strlen(re), sets, &is_exact);
	assert_true(n > 0);
	return is_exact;
}

static void test_exact_flag(void **state)
{
	(void)state;
	assert_true(exact("^(get|post)$"));
	assert_true(exact("\\bopen\\b"));
	assert_true(exact("(?i)^model$"));
	assert_false(exact("get.*post"));
	assert_false(exact("a\\s*b"));
	assert_true(exact("(request|route)_to_(human|operator)_?")); /* an optional tail: as a search, the same */
	assert_false(exact("(request|route)_to_\\w"));
	/* more strings than a set holds: shortened to prefixes, no longer exact */
	char big[2048] = "^(";
	for (int i = 0; i < 70; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "%sword%02d", i ? "|" : "", i);
	strcat(big, ")$");
	assert_false(exact(big));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_products),
		cmocka_unit_test(test_runs_broken_by_unknowns),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_large_unions),
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_fold_and_utf8_fast_paths),
		cmocka_unit_test(test_no_set),
		cmocka_unit_test(test_exact_flag),
		cmocka_unit_test(test_conjuncts),
		cmocka_unit_test(test_matches_contain_a_literal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
