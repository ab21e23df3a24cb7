#include <string.h>

#include "report/report_private.h"

/* Adding a format: one file defining its pl_reporter, one line here. */
static const pl_reporter *const all_reporters[] = {
	&pl_reporter_text,
	&pl_reporter_json,
	&pl_reporter_sarif,
	&pl_reporter_github,
	&pl_reporter_markdown,
};

#define NREPORTERS (sizeof(all_reporters) / sizeof(all_reporters[0]))

const pl_reporter *pl_reporter_by_name(const char *name)
{
	for (size_t i = 0; i < NREPORTERS; i++)
		if (strcmp(all_reporters[i]->name, name) == 0)
			return all_reporters[i];
	return NULL;
}

void pl_reporter_names(pl_strbuf *out)
{
	for (size_t i = 0; i < NREPORTERS; i++)
		pl_strbuf_addf(out, "%s%s", i ? ", " : "", all_reporters[i]->name);
}
