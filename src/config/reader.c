/* Picks the reader for a format: one table entry per format. */
#include <stdio.h>
#include <string.h>

#include "config/reader.h"

pl_config_status pl_config_read(pl_config *cfg, const pl_language *lang, TSParser *parser,
				const char *text, size_t len, pl_config_error *err)
{
	pl_config_error scratch;
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	if (strcmp(lang->name, "yaml") == 0)
		return pl_config_read_yaml(cfg, parser, text, len, err);
	if (strcmp(lang->name, "json") == 0)
		return pl_config_read_json(cfg, parser, text, len, err);
	if (strcmp(lang->name, "toml") == 0)
		return pl_config_read_toml(cfg, parser, text, len, err);
	if (strcmp(lang->name, "dockerfile") == 0)
		return pl_config_read_dockerfile(cfg, text, len, err);
	snprintf(err->message, sizeof(err->message), "%s is not a config format", lang->name);
	return PL_CONFIG_INVALID;
}
