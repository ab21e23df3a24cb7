#include "facts/ci.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/regex.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* --- classification ------------------------------------------------------- */

/* Commands that deploy or release. Matched against each line of a script. */
static const char deploy_run_re[] =
	"(?x) \\b( kubectl \\s+ (apply|create|replace|set \\s+ image|rollout \\s+ restart)"
	" | helm(file)? \\s+ (upgrade|install|sync|apply)"
	" | docker \\s+ (image \\s+)? push | docker \\s+ buildx \\s+ build \\b .* --push"
	" | podman \\s+ push | skopeo \\s+ copy"
	" | terraform \\s+ apply | tofu \\s+ apply | pulumi \\s+ up | cdk \\s+ deploy"
	" | gcloud \\s+ (run \\s+ deploy|app \\s+ deploy|functions \\s+ deploy|run \\s+ services \\s+ update)"
	" | az \\s+ (webapp \\s+ (deploy|up)|containerapp \\s+ (update|up)|functionapp \\s+ deploy|deployment \\s+ group \\s+ create)"
	" | aws \\s+ (ecs \\s+ update-service|lambda \\s+ update-function-code|cloudformation \\s+ deploy|deploy \\s+ create-deployment|apprunner \\s+ start-deployment)"
	" | (vercel|netlify) \\s+ (deploy|--prod) | fly(ctl)? \\s+ deploy | railway \\s+ up"
	" | (serverless|sls) \\s+ deploy | sam \\s+ deploy | goreleaser \\b | skaffold \\s+ (run|deploy)"
	" | argocd \\s+ app \\s+ sync | kustomize \\s+ build \\b .* \\| \\s* kubectl \\s+ apply"
	" | (npm|pnpm|yarn) \\s+ publish | twine \\s+ upload | poetry \\s+ publish | cargo \\s+ publish"
	" | gh \\s+ release \\s+ create )";

/* Actions that deploy or release (owner/name before the @). */
static const char deploy_uses_re[] =
	"(?i)^(aws-actions/amazon-ecs-deploy-task-definition|aws-actions/aws-cloudformation-github-deploy"
	"|google-github-actions/deploy-cloudrun|google-github-actions/deploy-appengine"
	"|azure/webapps-deploy|azure/k8s-deploy|azure/functions-action|azure/container-apps-deploy-action"
	"|superfly/flyctl-actions|amondnet/vercel-action|nwtgck/actions-netlify|cloudflare/wrangler-action"
	"|pypa/gh-action-pypi-publish|goreleaser/goreleaser-action|helmfile/helmfile-action"
	"|deliverybot/helm|softprops/action-gh-release)@";

/* Commands that run an eval suite. */
static const char eval_run_re[] =
	"(?x) \\b( promptfoo \\s+ eval | npx \\s+ promptfoo | deepeval \\s+ test | ragas \\b"
	" | inspect \\s+ eval | lm[-_]eval \\b | oaieval \\b | openai \\s+ evals?"
	" | braintrust \\s+ eval | langsmith \\b .* evaluat | langchain \\b .* evaluat"
	" | pytest \\b .* ( -m \\s* [\"']? \\w*evals? | evals?/ | tests?/evals? | eval_\\w*\\.py | -k \\s* [\"']? evals? )"
	" | (make|just|task|invoke) \\s+ ([\\w:-]* -)? evals? \\b"
	" | (npm|pnpm|yarn|bun) \\s+ (run \\s+)? ([\\w:-]*:)? evals? \\b"
	" | python3? \\s+ (-m \\s+)? [\\w./-]* evals? ([./_] [\\w./]*)? \\b )";

/* Actions that run evals. */
static const char eval_uses_re[] =
	"(?i)^(promptfoo/promptfoo-action|braintrustdata/eval-action|confident-ai/deepeval[\\w-]*)@";

struct pl_ci_classifier {
	pl_regex *deploy_run, *deploy_uses, *eval_run, *eval_uses;
};

static pl_regex *must_compile(const char *re)
{
	char err[256];
	size_t off;
	pl_regex *r = pl_regex_compile(re, strlen(re), err, sizeof(err), &off);
	if (!r)
		abort(); /* a bug in the tables above, caught by any test run */
	return r;
}

pl_ci_classifier *pl_ci_classifier_new(void)
{
	pl_ci_classifier *c = pl_xcalloc(1, sizeof(*c));
	c->deploy_run = must_compile(deploy_run_re);
	c->deploy_uses = must_compile(deploy_uses_re);
	c->eval_run = must_compile(eval_run_re);
	c->eval_uses = must_compile(eval_uses_re);
	return c;
}

void pl_ci_classifier_delete(pl_ci_classifier *c)
{
	if (!c)
		return;
	pl_regex_delete(c->deploy_run);
	pl_regex_delete(c->deploy_uses);
	pl_regex_delete(c->eval_run);
	pl_regex_delete(c->eval_uses);
	free(c);
}

/* The first line of a script the regex matches (comments skipped), or NULL. */
static char *matching_line(const pl_regex *re, const char *script)
{
	const char *p = script;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *s = p;
		while (s < p + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < p + n && *s != '#' && pl_regex_search(re, s, (size_t)(p + n - s))) {
			size_t len = (size_t)(p + n - s);
			return pl_xstrndup(s, len > 80 ? 80 : len);
		}
		p = eol ? eol + 1 : p + n;
	}
	return NULL;
}

/* --- the model ------------------------------------------------------------- */

typedef struct ci_step {
	char *what;              /* owned: the matching command or action */
	unsigned line, col;
	bool deploys, evals;
} ci_step;

typedef struct ci_job {
	char *name;              /* owned */
	unsigned line, col;
	char **needs;            /* owned */
	size_t nneeds;
	bool has_needs;          /* GitLab: `needs` given (even empty) overrides stages */
	char *stage;             /* owned; GitLab */
	bool allow_failure;      /* GitLab: a failing eval would not block */
	bool after_success;      /* GitHub: `if:` requires the triggering workflow_run to succeed */
	ci_step *steps;
	size_t nsteps, cap;
} ci_job;

typedef struct ci_workflow {
	char *path;              /* owned */
	char *name;              /* owned; GitHub `name:` (what workflow_run refers to) */
	bool gitlab;
	char **after;            /* owned: workflow_run workflows */
	size_t nafter;
	char **stages;           /* owned: GitLab stage order */
	size_t nstages;
	ci_job *jobs;
	size_t njobs, cap;
} ci_workflow;

struct pl_ci {
	ci_workflow *items;
	size_t len, cap;
};

pl_ci *pl_ci_new(void)
{
	return pl_xcalloc(1, sizeof(pl_ci));
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void pl_ci_delete(pl_ci *ci)
{
	if (!ci)
		return;
	for (size_t w = 0; w < ci->len; w++) {
		ci_workflow *wf = &ci->items[w];
		for (size_t j = 0; j < wf->njobs; j++) {
			ci_job *job = &wf->jobs[j];
			for (size_t s = 0; s < job->nsteps; s++)
				free(job->steps[s].what);
			free(job->steps);
			free(job->name);
			free(job->stage);
			free_strings(job->needs, job->nneeds);
		}
		free(wf->jobs);
		free(wf->path);
		free(wf->name);
		free_strings(wf->after, wf->nafter);
		free_strings(wf->stages, wf->nstages);
	}
	free(ci->items);
	free(ci);
}

void pl_ci_take(pl_ci *to, pl_ci *from)
{
	PL_GROW(to->items, to->cap, to->len + from->len);
	if (from->len)
		memcpy(to->items + to->len, from->items, from->len * sizeof(ci_workflow));
	to->len += from->len;
	from->len = 0;
}

/* Scalars of a node that may be one string or a list of strings. */
static char **string_list(const pl_node *n, size_t *count)
{
	*count = 0;
	if (!n)
		return NULL;
	if (n->kind == PL_NODE_SCALAR && n->type != PL_SCALAR_NULL) {
		char **v = pl_xcalloc(1, sizeof(char *));
		v[0] = pl_xstrdup(n->text);
		*count = 1;
		return v;
	}
	if (n->kind != PL_NODE_SEQUENCE)
		return NULL;
	char **v = pl_xcalloc(n->nitems ? n->nitems : 1, sizeof(char *));
	for (size_t i = 0; i < n->nitems; i++) {
		const pl_node *it = n->items[i];
		/* GitLab needs may be {job: name}. */
		const char *s = it->kind == PL_NODE_SCALAR ? it->text : pl_node_get_text(it, "job");
		if (s)
			v[(*count)++] = pl_xstrdup(s);
	}
	return v;
}

static void add_step(const pl_ci_classifier *cls, ci_job *job, const pl_node *step,
		     const char *script, const char *uses, unsigned line, unsigned col)
{
	char *deploy = NULL, *eval = NULL;
	if (script) {
		deploy = matching_line(cls->deploy_run, script);
		eval = matching_line(cls->eval_run, script);
	}
	if (uses) {
		size_t n = strlen(uses);
		if (!deploy && pl_regex_search(cls->deploy_uses, uses, n)) {
			/* docker/build-push-action deploys only with push: true */
			deploy = pl_xstrdup(uses);
		}
		if (!deploy && strncmp(uses, "docker/build-push-action@", 25) == 0) {
			const char *push = pl_node_get_text(pl_node_get(step, "with"), "push");
			if (push && strcmp(push, "true") == 0)
				deploy = pl_xstrdup(uses);
		}
		if (!eval && pl_regex_search(cls->eval_uses, uses, n))
			eval = pl_xstrdup(uses);
	}
	if (!deploy && !eval)
		return;
	PL_GROW(job->steps, job->cap, job->nsteps + 1);
	ci_step *s = &job->steps[job->nsteps++];
	s->line = line;
	s->col = col;
	s->deploys = deploy != NULL;
	s->evals = eval != NULL;
	s->what = deploy ? deploy : eval;
	if (deploy && eval)
		free(eval);
}

static ci_job *new_job(ci_workflow *wf, const pl_pair *p)
{
	PL_GROW(wf->jobs, wf->cap, wf->njobs + 1);
	ci_job *job = &wf->jobs[wf->njobs++];
	memset(job, 0, sizeof(*job));
	job->name = pl_xstrdup(p->key);
	job->line = p->key_line;
	job->col = p->key_col;
	return job;
}

/* A script value: a string, or (GitLab) a list of strings joined by newlines. */
static char *script_text(const pl_node *n)
{
	if (!n)
		return NULL;
	if (n->kind == PL_NODE_SCALAR)
		return pl_xstrdup(n->text);
	if (n->kind != PL_NODE_SEQUENCE)
		return NULL;
	pl_strbuf sb = PL_STRBUF_INIT;
	for (size_t i = 0; i < n->nitems; i++)
		if (n->items[i]->kind == PL_NODE_SCALAR)
			pl_strbuf_addf(&sb, "%s\n", n->items[i]->text);
	return pl_strbuf_detach(&sb);
}

static void collect_github(ci_workflow *wf, const pl_ci_classifier *cls, const pl_node *doc)
{
	const char *name = pl_node_get_text(doc, "name");
	wf->name = pl_xstrdup(name ? name : "");
	const pl_node *on = pl_node_get(doc, "on");
	const pl_node *wr = pl_node_get(on, "workflow_run");
	if (wr)
		wf->after = string_list(pl_node_get(wr, "workflows"), &wf->nafter);
	const pl_node *jobs = pl_node_get(doc, "jobs");
	if (!jobs || jobs->kind != PL_NODE_MAPPING)
		return;
	for (size_t j = 0; j < jobs->npairs; j++) {
		const pl_node *jn = jobs->pairs[j].value;
		if (jn->kind != PL_NODE_MAPPING)
			continue;
		ci_job *job = new_job(wf, &jobs->pairs[j]);
		job->needs = string_list(pl_node_get(jn, "needs"), &job->nneeds);
		const char *cond = pl_node_get_text(jn, "if");
		job->after_success = cond && strstr(cond, "workflow_run.conclusion") &&
				     strstr(cond, "success");
		/* A reusable workflow call is one step of its own. */
		const pl_pair *uses = pl_node_get_pair(jn, "uses");
		if (uses && uses->value->kind == PL_NODE_SCALAR)
			add_step(cls, job, jn, NULL, uses->value->text, uses->key_line, uses->key_col);
		const pl_node *steps = pl_node_get(jn, "steps");
		for (size_t s = 0; steps && s < steps->nitems; s++) {
			const pl_node *st = steps->items[s];
			const pl_pair *run = pl_node_get_pair(st, "run");
			const pl_pair *su = pl_node_get_pair(st, "uses");
			const pl_pair *at = run ? run : su;
			add_step(cls, job, st, run ? run->value->text : NULL,
				 su ? su->value->text : NULL, at ? at->key_line : st->line,
				 at ? at->key_col : st->col);
		}
	}
}

static bool gitlab_reserved(const char *key)
{
	static const char *const reserved[] = { "stages", "variables", "default", "include",
						"workflow", "image", "services", "cache",
						"before_script", "after_script", "types", "pages_x", NULL };
	if (key[0] == '.')
		return true; /* hidden jobs and templates */
	for (const char *const *r = reserved; *r; r++)
		if (strcmp(key, *r) == 0)
			return true;
	return false;
}

static void collect_gitlab(ci_workflow *wf, const pl_ci_classifier *cls, const pl_node *doc)
{
	wf->gitlab = true;
	wf->name = pl_xstrdup("");
	wf->stages = string_list(pl_node_get(doc, "stages"), &wf->nstages);
	if (!wf->stages) {
		static const char *const defaults[] = { ".pre", "build", "test", "deploy", ".post" };
		wf->stages = pl_xcalloc(5, sizeof(char *));
		for (size_t i = 0; i < 5; i++)
			wf->stages[i] = pl_xstrdup(defaults[i]);
		wf->nstages = 5;
	}
	for (size_t j = 0; j < doc->npairs; j++) {
		const pl_node *jn = doc->pairs[j].value;
		if (gitlab_reserved(doc->pairs[j].key) || jn->kind != PL_NODE_MAPPING)
			continue;
		ci_job *job = new_job(wf, &doc->pairs[j]);
		const char *stage = pl_node_get_text(jn, "stage");
		job->stage = pl_xstrdup(stage ? stage : "test");
		const pl_node *needs = pl_node_get(jn, "needs");
		job->has_needs = needs != NULL;
		job->needs = string_list(needs, &job->nneeds);
		const char *af = pl_node_get_text(jn, "allow_failure");
		job->allow_failure = af && strcmp(af, "true") == 0;
		static const char *const parts[] = { "before_script", "script", NULL };
		for (const char *const *part = parts; *part; part++) {
			const pl_pair *sp = pl_node_get_pair(jn, *part);
			if (!sp)
				continue;
			char *script = script_text(sp->value);
			if (script)
				add_step(cls, job, jn, script, NULL, sp->key_line, sp->key_col);
			free(script);
		}
	}
}

void pl_ci_collect(pl_ci *ci, const pl_ci_classifier *cls, const pl_config *cfg, const char *path)
{
	if (cfg->kind != PL_KIND_GITHUB_ACTIONS && cfg->kind != PL_KIND_GITLAB_CI)
		return;
	if (cfg->ndocuments == 0 || cfg->documents[0]->kind != PL_NODE_MAPPING)
		return;
	PL_GROW(ci->items, ci->cap, ci->len + 1);
	ci_workflow *wf = &ci->items[ci->len++];
	memset(wf, 0, sizeof(*wf));
	wf->path = pl_xstrdup(path);
	if (cfg->kind == PL_KIND_GITHUB_ACTIONS)
		collect_github(wf, cls, cfg->documents[0]);
	else
		collect_gitlab(wf, cls, cfg->documents[0]);
}

/* --- analysis ------------------------------------------------------------------ */

static ssize_t job_index(const ci_workflow *wf, const char *name)
{
	for (size_t j = 0; j < wf->njobs; j++)
		if (strcmp(wf->jobs[j].name, name) == 0)
			return (ssize_t)j;
	return -1;
}

static size_t stage_index(const ci_workflow *wf, const char *stage)
{
	for (size_t i = 0; i < wf->nstages; i++)
		if (strcmp(wf->stages[i], stage) == 0)
			return i;
	return (size_t)-1;
}

static bool job_evals(const ci_job *job, size_t before_step)
{
	if (job->allow_failure)
		return false;
	for (size_t s = 0; s < job->nsteps && s < before_step; s++)
		if (job->steps[s].evals)
			return true;
	return false;
}

/* Mark every job that must succeed before `j` starts. */
static void mark_deps(const ci_workflow *wf, size_t j, bool *mark, unsigned depth)
{
	if (depth > 256)
		return;
	const ci_job *job = &wf->jobs[j];
	if (wf->gitlab && !job->has_needs) {
		size_t mine = stage_index(wf, job->stage);
		for (size_t k = 0; k < wf->njobs; k++) {
			if (mark[k] || stage_index(wf, wf->jobs[k].stage) >= mine)
				continue;
			mark[k] = true;
		}
		return;
	}
	for (size_t n = 0; n < job->nneeds; n++) {
		ssize_t k = job_index(wf, job->needs[n]);
		if (k < 0 || mark[k])
			continue;
		mark[k] = true;
		mark_deps(wf, (size_t)k, mark, depth + 1);
	}
}

static bool workflow_evals(const ci_workflow *wf)
{
	for (size_t j = 0; j < wf->njobs; j++)
		if (job_evals(&wf->jobs[j], (size_t)-1))
			return true;
	return false;
}

/* An upstream workflow (workflow_run) that runs evals and must succeed first. */
static const ci_workflow *gating_upstream(const pl_ci *ci, const ci_workflow *wf)
{
	for (size_t a = 0; a < wf->nafter; a++)
		for (size_t w = 0; w < ci->len; w++)
			if (strcmp(ci->items[w].name, wf->after[a]) == 0 && workflow_evals(&ci->items[w]))
				return &ci->items[w];
	return NULL;
}

/* workflow_run fires whatever the upstream's result: only an explicit
 * success check on the job (or a job it needs) makes the upstream a gate. */
static bool any_after_success(const ci_workflow *wf, const bool *mark)
{
	for (size_t k = 0; k < wf->njobs; k++)
		if (mark[k] && wf->jobs[k].after_success)
			return true;
	return false;
}

void pl_ci_analyse(const pl_ci *ci, pl_facts *out)
{
	for (size_t w = 0; w < ci->len; w++) {
		const ci_workflow *wf = &ci->items[w];
		pl_facts_add(out, "ci-workflow", wf->path, 1, 1, "%s", wf->gitlab ? "GitLab CI" : "GitHub Actions");
		const ci_workflow *upstream = gating_upstream(ci, wf);
		bool *mark = pl_xcalloc(wf->njobs ? wf->njobs : 1, sizeof(bool));
		for (size_t j = 0; j < wf->njobs; j++) {
			const ci_job *job = &wf->jobs[j];
			for (size_t s = 0; s < job->nsteps; s++) {
				const ci_step *st = &job->steps[s];
				if (st->evals)
					pl_facts_add(out, "ci-runs-evals", wf->path, st->line, st->col,
						     "`%s` in job '%s'", st->what, job->name);
				if (!st->deploys)
					continue;
				pl_facts_add(out, "ci-deploys", wf->path, st->line, st->col,
					     "`%s` in job '%s'", st->what, job->name);
				memset(mark, 0, wf->njobs * sizeof(bool));
				mark_deps(wf, j, mark, 0);
				const char *gate = NULL;
				if (job_evals(job, s))
					gate = job->name;
				for (size_t k = 0; k < wf->njobs && !gate; k++)
					if (mark[k] && job_evals(&wf->jobs[k], (size_t)-1))
						gate = wf->jobs[k].name;
				if (gate) {
					pl_facts_add(out, "ci-deploy-gated", wf->path, st->line, st->col,
						     "evals in job '%s' run first", gate);
				} else if (upstream && (job->after_success || any_after_success(wf, mark))) {
					pl_facts_add(out, "ci-deploy-gated", wf->path, st->line, st->col,
						     "runs after workflow '%s', which runs evals",
						     upstream->name);
				} else {
					pl_facts_add(out, "ci-deploy-ungated", wf->path, st->line, st->col,
						     "no eval runs in job '%s' before it or in the jobs it needs",
						     job->name);
				}
			}
		}
		free(mark);
	}
}

/* --- JSON (the per-file cache) and views ------------------------------------- */

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* NULL (and count 0) for a missing member; -1 for anything but an array of strings. */
static int strings_read(const json_t *a, char ***out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!a)
		return 0;
	if (!json_is_array(a))
		return -1;
	size_t n = json_array_size(a);
	*out = pl_xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s)
			return -1;
		(*out)[(*count)++] = pl_xstrdup(s);
	}
	return 0;
}

static bool read_unsigned(const json_t *j, unsigned *out)
{
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > (json_int_t)0xffffffffu)
		return false;
	*out = (unsigned)json_integer_value(j);
	return true;
}

json_t *pl_ci_to_json(const pl_ci *ci)
{
	json_t *wfs = json_array();
	for (size_t w = 0; w < ci->len; w++) {
		const ci_workflow *wf = &ci->items[w];
		json_t *jobs = json_array();
		for (size_t j = 0; j < wf->njobs; j++) {
			const ci_job *job = &wf->jobs[j];
			json_t *steps = json_array();
			for (size_t s = 0; s < job->nsteps; s++) {
				const ci_step *st = &job->steps[s];
				json_array_append_new(steps, json_pack("[s,I,I,b,b]", st->what,
								       (json_int_t)st->line,
								       (json_int_t)st->col, st->deploys,
								       st->evals));
			}
			json_array_append_new(
				jobs, json_pack("{s:s,s:I,s:I,s:o,s:b,s:s*,s:b,s:b,s:o}", "name",
						job->name, "line", (json_int_t)job->line, "col",
						(json_int_t)job->col, "needs",
						strings_json(job->needs, job->nneeds), "has_needs",
						job->has_needs, "stage", job->stage, "allow_failure",
						job->allow_failure, "after_success", job->after_success,
						"steps", steps));
		}
		json_array_append_new(
			wfs, json_pack("{s:s,s:s,s:b,s:o,s:o,s:o}", "path", wf->path, "name", wf->name,
				       "gitlab", wf->gitlab, "after", strings_json(wf->after, wf->nafter),
				       "stages", strings_json(wf->stages, wf->nstages), "jobs", jobs));
	}
	return wfs;
}

static int read_step(ci_job *job, const json_t *js)
{
	const char *what;
	json_int_t line, col;
	int deploys, evals;
	if (json_unpack((json_t *)js, "[s,I,I,b,b]", &what, &line, &col, &deploys, &evals) < 0 ||
	    line < 0 || col < 0)
		return -1;
	PL_GROW(job->steps, job->cap, job->nsteps + 1);
	ci_step *st = &job->steps[job->nsteps++];
	st->what = pl_xstrdup(what);
	st->line = (unsigned)line;
	st->col = (unsigned)col;
	st->deploys = deploys;
	st->evals = evals;
	return 0;
}

static int read_job(ci_workflow *wf, const json_t *jj)
{
	const char *name, *stage = NULL;
	json_t *needs, *steps, *line, *col;
	int has_needs, allow_failure, after_success;
	if (json_unpack((json_t *)jj, "{s:s,s:o,s:o,s:o,s:b,s?s,s:b,s:b,s:o}", "name", &name,
			"line", &line, "col", &col, "needs", &needs, "has_needs", &has_needs,
			"stage", &stage, "allow_failure", &allow_failure, "after_success",
			&after_success, "steps", &steps) < 0 ||
	    !json_is_array(steps))
		return -1;
	PL_GROW(wf->jobs, wf->cap, wf->njobs + 1);
	ci_job *job = &wf->jobs[wf->njobs++];
	memset(job, 0, sizeof(*job));
	job->name = pl_xstrdup(name);
	job->stage = stage ? pl_xstrdup(stage) : NULL;
	job->has_needs = has_needs;
	job->allow_failure = allow_failure;
	job->after_success = after_success;
	if (!read_unsigned(line, &job->line) || !read_unsigned(col, &job->col) ||
	    strings_read(needs, &job->needs, &job->nneeds) < 0)
		return -1;
	for (size_t s = 0; s < json_array_size(steps); s++)
		if (read_step(job, json_array_get(steps, s)) < 0)
			return -1;
	return 0;
}

int pl_ci_read_json(pl_ci *ci, const json_t *json)
{
	if (!json_is_array(json))
		return -1;
	for (size_t w = 0; w < json_array_size(json); w++) {
		const char *path, *name;
		int gitlab;
		json_t *after, *stages, *jobs;
		if (json_unpack(json_array_get(json, w), "{s:s,s:s,s:b,s:o,s:o,s:o}", "path", &path,
				"name", &name, "gitlab", &gitlab, "after", &after, "stages", &stages,
				"jobs", &jobs) < 0 ||
		    !json_is_array(jobs))
			return -1;
		PL_GROW(ci->items, ci->cap, ci->len + 1);
		ci_workflow *wf = &ci->items[ci->len++];
		memset(wf, 0, sizeof(*wf));
		wf->path = pl_xstrdup(path);
		wf->name = pl_xstrdup(name);
		wf->gitlab = gitlab;
		if (strings_read(after, &wf->after, &wf->nafter) < 0 ||
		    strings_read(stages, &wf->stages, &wf->nstages) < 0)
			return -1;
		for (size_t j = 0; j < json_array_size(jobs); j++)
			if (read_job(wf, json_array_get(jobs, j)) < 0)
				return -1;
	}
	return 0;
}

pl_ci *pl_ci_view_new(const pl_ci *const *parts, size_t nparts)
{
	pl_ci *view = pl_ci_new();
	for (size_t p = 0; p < nparts; p++) {
		if (!parts[p] || !parts[p]->len)
			continue;
		PL_GROW(view->items, view->cap, view->len + parts[p]->len);
		memcpy(view->items + view->len, parts[p]->items, parts[p]->len * sizeof(ci_workflow));
		view->len += parts[p]->len;
	}
	return view;
}

void pl_ci_view_delete(pl_ci *view)
{
	if (!view)
		return;
	free(view->items); /* the workflows are the parts' */
	free(view);
}
