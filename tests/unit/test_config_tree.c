/*
 * The YAML reader, path selectors, conditions and file kinds
 * (src/config/yaml_reader.c, path.c, check.c, kind.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/check.h"
#include "config/kind.h"
#include "config/path.h"
#include "config/reader.h"
#include "support.h"

static pl_config read_yaml(const char *text, pl_config_status want)
{
	pl_config cfg = { .kind = PL_KIND_YAML };
	TSParser *parser = ts_parser_new();
	pl_config_error err;
	pl_config_status st = pl_config_read_yaml(&cfg, parser, text, strlen(text), &err);
	ts_parser_delete(parser);
	if (st != want)
		fail_msg("status %d (want %d): %u:%u %s", st, want, err.line, err.col, err.message);
	return cfg;
}

static const pl_node *at(const pl_node *base, const char *path)
{
	char err[128];
	size_t off;
	pl_path *p = pl_path_compile(path, err, sizeof(err), &off);
	if (!p)
		fail_msg("path %s: %s", path, err);
	pl_path_env env = { base, 100000 };
	const pl_pair *via;
	const pl_node *n = pl_path_deepest(p, base, &env, &via);
	pl_path_delete(p);
	return n;
}

static void test_positions_types_and_multi_document(void **state)
{
	(void)state;
	pl_config cfg = read_yaml(
		"# leading comment\n"
		"apiVersion: v1\n"
		"kind: Pod\n"
		"spec:\n"
		"  replicas: 3     # a comment\n"
		"  ratio: 0.5\n"
		"  on: true\n"
		"  none: ~\n"
		"  version: \"3\"\n"
		"  items:\n"
		"    - a\n"
		"    - {b: 1, c: [x, 'y''s', \"z\\tq\"]}\n"
		"---\n"
		"second: doc\n",
		PL_CONFIG_OK);
	assert_int_equal(cfg.ndocuments, 2);
	const pl_node *doc = cfg.documents[0];
	const pl_pair *kind = pl_node_get_pair(doc, "kind");
	assert_non_null(kind);
	assert_int_equal(kind->key_line, 3);
	assert_int_equal(kind->key_col, 1);
	assert_int_equal(kind->value->line, 3);
	assert_int_equal(kind->value->col, 7);
	const pl_node *n = at(doc, "spec.replicas");
	assert_int_equal(n->type, PL_SCALAR_INT);
	assert_true(n->number == 3);
	assert_int_equal(at(doc, "spec.ratio")->type, PL_SCALAR_FLOAT);
	assert_int_equal(at(doc, "spec.on")->type, PL_SCALAR_BOOL);
	assert_int_equal(at(doc, "spec.none")->type, PL_SCALAR_NULL);
	n = at(doc, "spec.version");
	assert_int_equal(n->type, PL_SCALAR_STRING); /* quoted: never a number */
	assert_string_equal(n->text, "3");
	assert_string_equal(at(doc, "spec.items[1].c[1]")->text, "y's");
	assert_string_equal(at(doc, "spec.items[1].c[2]")->text, "z\tq");
	n = at(doc, "spec.items[1].b");
	assert_int_equal(n->line, 12);
	assert_int_equal(n->col, 11);
	assert_string_equal(pl_node_get_text(cfg.documents[1], "second"), "doc");
	pl_config_release(&cfg);
}

static void test_block_scalars(void **state)
{
	(void)state;
	pl_config cfg = read_yaml(
		"literal: |\n"
		"  line one\n"
		"    indented\n"
		"\n"
		"  line three\n"
		"folded: >-\n"
		"  a\n"
		"  b\n"
		"\n"
		"  c\n"
		"keep: |+\n"
		"  x\n"
		"\n"
		"end: 1\n",
		PL_CONFIG_OK);
	const pl_node *doc = cfg.documents[0];
	assert_string_equal(pl_node_get_text(doc, "literal"), "line one\n  indented\n\nline three\n");
	assert_string_equal(pl_node_get_text(doc, "folded"), "a b\nc");
	assert_string_equal(pl_node_get_text(doc, "keep"), "x\n\n");
	pl_config_release(&cfg);
}

static void test_anchors_aliases_and_merge_keys(void **state)
{
	(void)state;
	pl_config cfg = read_yaml(
		"base: &base\n"
		"  image: app:1.0\n"
		"  port: 80\n"
		"svc:\n"
		"  <<: *base\n"
		"  port: 8080\n"
		"copy: *base\n",
		PL_CONFIG_OK);
	const pl_node *doc = cfg.documents[0];
	assert_string_equal(at(doc, "svc.image")->text, "app:1.0");
	assert_true(at(doc, "svc.port")->number == 8080); /* explicit keys win over merged ones */
	assert_ptr_equal(pl_node_get(doc, "copy"), pl_node_get(doc, "base")); /* shared, not copied */
	pl_config_release(&cfg);
}

/* A billion-laughs document: nine levels of nine aliases. Reading stays
 * linear (aliases share nodes); walking `**` runs out of budget. */
static void test_alias_bomb_is_bounded(void **state)
{
	(void)state;
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof(text), "a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 10; i++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "a%d: &a%d [", i, i);
		for (int k = 0; k < 9; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s*a%d", k ? ", " : "", i - 1);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "]\n");
	}
	pl_config cfg = read_yaml(text, PL_CONFIG_OK);
	assert_true(cfg.arena.used < 1u << 20);
	char err[64];
	size_t off;
	pl_path *p = pl_path_compile("**", err, sizeof(err), &off);
	pl_path_env env = { cfg.documents[0], 100000 };
	assert_false(pl_path_each(p, cfg.documents[0], &env, NULL, NULL));
	assert_int_equal(env.budget, 0);
	pl_path_delete(p);
	pl_config_release(&cfg);
}

static void test_deep_nesting_is_a_limit(void **state)
{
	(void)state;
	size_t depth = 10000;
	char *text = malloc(depth * 2 + 2);
	for (size_t i = 0; i < depth; i++)
		text[i] = '[';
	for (size_t i = 0; i < depth; i++)
		text[depth + i] = ']';
	text[depth * 2] = '\n';
	text[depth * 2 + 1] = '\0';
	pl_config cfg = read_yaml(text, PL_CONFIG_LIMIT);
	pl_config_release(&cfg);
	free(text);
}

static void test_invalid_yaml_is_located(void **state)
{
	(void)state;
	pl_config cfg = { .kind = PL_KIND_YAML };
	TSParser *parser = ts_parser_new();
	pl_config_error err;
	const char *text = "ok: 1\nbad: [1, 2\nmore: 3\n";
	assert_int_equal(pl_config_read_yaml(&cfg, parser, text, strlen(text), &err), PL_CONFIG_INVALID);
	assert_true(err.line >= 1);
	assert_non_null(strstr(err.message, "not valid YAML"));
	ts_parser_delete(parser);
	pl_config_release(&cfg);
}

/* A callback for pl_path_each that collects scalar texts. */
typedef struct texts {
	char buf[512];
} texts;

static bool collect(void *ctx, const pl_node *node, const pl_pair *via)
{
	(void)via;
	texts *t = ctx;
	if (node->kind == PL_NODE_SCALAR) {
		strncat(t->buf, node->text, sizeof(t->buf) - strlen(t->buf) - 2);
		strcat(t->buf, ",");
	}
	return true;
}

static const char *select_texts(const pl_node *doc, const char *path, texts *t)
{
	char err[128];
	size_t off;
	pl_path *p = pl_path_compile(path, err, sizeof(err), &off);
	if (!p)
		fail_msg("%s: %s", path, err);
	t->buf[0] = '\0';
	pl_path_env env = { doc, 100000 };
	assert_true(pl_path_each(p, doc, &env, collect, t));
	pl_path_delete(p);
	return t->buf;
}

static const char *workloads =
	"kind: CronJob\n"
	"metadata:\n"
	"  annotations: {\"prodlint.dev/ignore\": x}\n"
	"spec:\n"
	"  jobTemplate:\n"
	"    spec:\n"
	"      template:\n"
	"        spec:\n"
	"          containers:\n"
	"            - {name: a, image: one}\n"
	"            - {name: b, image: two}\n";

static void test_paths(void **state)
{
	(void)state;
	pl_config cfg = read_yaml(workloads, PL_CONFIG_OK);
	const pl_node *doc = cfg.documents[0];
	texts t;
	assert_string_equal(select_texts(doc, "$pod.containers[*].name", &t), "a,b,");
	assert_string_equal(select_texts(doc, "$pod.containers[1].image", &t), "two,");
	assert_string_equal(select_texts(doc, "metadata.annotations[\"prodlint.dev/ignore\"]", &t), "x,");
	assert_string_equal(select_texts(doc, "**.image", &t), "one,two,");
	assert_string_equal(select_texts(doc, "$pod.containers.*.name", &t), "a,b,");
	assert_string_equal(select_texts(doc, "$pod.nothing[*]", &t), "");
	char err[128];
	size_t off = 99;
	assert_null(pl_path_compile("spec..x", err, sizeof(err), &off));
	assert_int_equal(off, 5);
	assert_null(pl_path_compile("$nope.x", err, sizeof(err), &off));
	assert_null(pl_path_compile("a[\"b", err, sizeof(err), &off));
	pl_config_release(&cfg);
}

static pl_cond *leaf(pl_cond_kind kind, const char *path, const char *value)
{
	pl_cond *c = calloc(1, sizeof(*c));
	char err[128];
	size_t off;
	c->kind = kind;
	c->path = pl_path_compile(path, err, sizeof(err), &off);
	if (value && (kind == PL_COND_MATCHES || kind == PL_COND_NOT_MATCHES)) {
		c->regex = pl_regex_compile(value, strlen(value), err, sizeof(err), &off);
	} else if (value && kind >= PL_COND_GT && kind <= PL_COND_LE) {
		c->number = atof(value);
	} else if (value) {
		c->values = calloc(1, sizeof(char *));
		c->values[0] = strdup(value);
		c->nvalues = 1;
	}
	return c;
}

static void test_conditions_and_culprits(void **state)
{
	(void)state;
	pl_config cfg = read_yaml(
		"spec:\n"
		"  replicas: 1\n"
		"  template:\n"
		"    spec:\n"
		"      containers:\n"
		"        - name: api\n"
		"          image: app:latest\n"
		"          resources:\n"
		"            limits: {cpu: 1}\n",
		PL_CONFIG_OK);
	const pl_node *doc = cfg.documents[0];
	pl_path_env env = { doc, 100000 };
	pl_culprit c;

	pl_cond *le = leaf(PL_COND_LE, "spec.replicas", "1");
	assert_true(pl_cond_eval(le, doc, &env, &c));
	assert_int_equal(c.node->line, 2);
	assert_string_equal(c.via->key, "replicas");
	pl_cond_delete(le);

	pl_cond *latest = leaf(PL_COND_MATCHES, "spec.template.spec.containers[*].image", ":latest$");
	assert_true(pl_cond_eval(latest, doc, &env, &c));
	assert_int_equal(c.node->line, 7);
	pl_cond_delete(latest);

	/* A missing key is reported at the deepest node that exists on its path. */
	pl_cond *mem = leaf(PL_COND_PRESENT, "spec.template.spec.containers[0].resources.limits.memory", NULL);
	assert_false(pl_cond_eval(mem, doc, &env, &c));
	assert_string_equal(c.via->key, "limits");
	assert_int_equal(c.via->key_line, 9);
	pl_cond_delete(mem);

	pl_cond *absent = leaf(PL_COND_ABSENT, "spec.strategy", NULL);
	assert_true(pl_cond_eval(absent, doc, &env, &c));
	pl_cond_delete(absent);

	pl_cond *in = leaf(PL_COND_IN, "spec.template.spec.containers[*].name", "web");
	assert_false(pl_cond_eval(in, doc, &env, &c));
	pl_cond_delete(in);
	pl_config_release(&cfg);
}

static void test_kinds(void **state)
{
	(void)state;
	const pl_language *yaml = pl_language_by_name("yaml");
	assert_int_equal(pl_config_kind_from_path(".github/workflows/ci.yml", "/nonexistent", yaml),
			 PL_KIND_GITHUB_ACTIONS);
	assert_int_equal(pl_config_kind_from_path("svc/.github/workflows/d.yaml", "/nonexistent", yaml),
			 PL_KIND_GITHUB_ACTIONS);
	assert_int_equal(pl_config_kind_from_path(".gitlab-ci.yml", "/x", yaml), PL_KIND_GITLAB_CI);
	assert_int_equal(pl_config_kind_from_path("deploy/docker-compose.prod.yml", "/x", yaml),
			 PL_KIND_DOCKER_COMPOSE);
	assert_int_equal(pl_config_kind_from_path("compose.yaml", "/x", yaml), PL_KIND_DOCKER_COMPOSE);
	assert_int_equal(pl_config_kind_from_path("k8s/app.yaml", "/x", yaml), PL_KIND_YAML);
	assert_int_equal(pl_config_kind_from_path("Dockerfile", "/x", pl_language_by_name("dockerfile")),
			 PL_KIND_DOCKERFILE);
	assert_ptr_equal(pl_language_for_path("build/Dockerfile.prod", NULL, 0),
			 pl_language_by_name("dockerfile"));

	/* Helm values need a Chart.yaml beside them. */
	char *dir = test_tmpdir("kind");
	test_write_text(dir, "chart/values.yaml", "image: {tag: latest}\n");
	char *values = test_join(dir, "chart/values.yaml");
	assert_int_equal(pl_config_kind_from_path("chart/values.yaml", values, yaml), PL_KIND_YAML);
	test_write_text(dir, "chart/Chart.yaml", "name: x\n");
	assert_int_equal(pl_config_kind_from_path("chart/values.yaml", values, yaml), PL_KIND_HELM_VALUES);
	free(values);
	test_rm_rf(dir);
	free(dir);

	unsigned line;
	const char *tmpl = "a: 1\nreplicas: {{ .Values.replicas }}\n";
	assert_true(pl_config_is_template("x.yaml", tmpl, strlen(tmpl), &line));
	assert_int_equal(line, 2);
	const char *gha = "run: echo ${{ github.sha }}\n# {{ not a template in a comment }}\n";
	assert_false(pl_config_is_template("ci.yml", gha, strlen(gha), &line));
	assert_true(pl_config_is_template("chart/templates/deploy.yaml", "a: 1\n", 5, &line));

	/* Content: apiVersion + kind makes it Kubernetes; List items become documents. */
	pl_config cfg = read_yaml("apiVersion: v1\nkind: List\nitems:\n"
				  "  - {apiVersion: v1, kind: Service, metadata: {name: s}}\n"
				  "  - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}\n",
				  PL_CONFIG_OK);
	pl_config_refine_kind(&cfg);
	assert_int_equal(cfg.kind, PL_KIND_KUBERNETES);
	assert_int_equal(cfg.ndocuments, 3);
	assert_string_equal(pl_node_get_text(cfg.documents[2], "kind"), "Deployment");
	pl_config_release(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions_types_and_multi_document),
		cmocka_unit_test(test_block_scalars),
		cmocka_unit_test(test_anchors_aliases_and_merge_keys),
		cmocka_unit_test(test_alias_bomb_is_bounded),
		cmocka_unit_test(test_deep_nesting_is_a_limit),
		cmocka_unit_test(test_invalid_yaml_is_located),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_conditions_and_culprits),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
