/* YAML: the reader (all documents, anchors and aliases, depth limit), the
 * path selectors and conditions over the tree, then a scan as a Kubernetes
 * manifest, a workflow, a compose file or Helm values. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

FUZZ_INIT_RULES("yaml")

static const char *const paths[] = {
	"deploy/app.yaml", ".github/workflows/ci.yml", "docker-compose.yml", ".gitlab-ci.yml",
	"charts/app/values.yaml",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config_input("yaml", paths, sizeof(paths) / sizeof(paths[0]), data, size);
	return 0;
}
