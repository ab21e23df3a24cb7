/* The language entries, for languages.c's table only. */
#ifndef PL_LANG_PRIVATE_H
#define PL_LANG_PRIVATE_H

#include "lang/lang.h"

extern const pl_language pl_lang_python;
extern const pl_language pl_lang_javascript;
extern const pl_language pl_lang_typescript;
extern const pl_language pl_lang_tsx;
extern const pl_language pl_lang_go;
extern const pl_language pl_lang_yaml;
extern const pl_language pl_lang_json;
extern const pl_language pl_lang_toml;
extern const pl_language pl_lang_dockerfile;

/* JavaScript's edges, which TypeScript and TSX share. */
extern const pl_node_edges pl_js_node_edges[];
extern const pl_field_edges pl_js_field_edges[];

#endif
