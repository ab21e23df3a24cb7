/*
 * owners: who owns the files that steer a model (OB2).
 *
 * Prompt files, model and eval configuration, and agent tool definitions
 * change model behaviour as much as code does; an incident on them needs an
 * owner to page and a reviewer who understands them. pl_owners_analyse
 * finds such files by path and checks them against CODEOWNERS (the first of
 * .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS, .gitlab/CODEOWNERS, with
 * GitHub's semantics: gitignore-style patterns, the last matching line wins,
 * a line without owners un-owns; GitLab `[Section] @owners` headers give the
 * lines below them default owners). It emits
 *   ai-config-file        a prompt / model-config / tool-definition file
 *   unowned-ai-config     one that no CODEOWNERS line assigns an owner to
 *   has-codeowners        the CODEOWNERS file itself
 */
#ifndef PL_OWNERS_H
#define PL_OWNERS_H

#include <stddef.h>

#include "facts/facts.h"

/* `paths`: every file of the scan (relative to root, '/'-separated). */
void pl_owners_analyse(const char *root, const char *const *paths, size_t npaths, pl_facts *out);

/* True if `path` is a prompt, model-config or tool-definition file. */
bool pl_owners_is_ai_config(const char *path);

#endif
