/* Bench plugin: a no-op agent_query hook with a small per-instance state.
 *
 * create allocates 64 bytes (freed by destroy) so instance churn shows a leak
 * if destroy is ever skipped; on_agent_query answers a fixed small JSON object.
 * Compiled by agentcore-bench with -DBENCH_ID="..." to make several plugins. */
#include "agentcore_plugin.h"
#include <stdlib.h>
#include <string.h>

#ifndef BENCH_ID
#define BENCH_ID "noop"
#endif

static const ac_host_api_t *host;
static const char output[] = "{\"noop\":true}";

typedef struct noop_state {
  size_t created_with_config_bytes;
  char padding[56];
} noop_state_t;

static ac_status_t create(ac_context_t *ctx, ac_str_t config, ac_call_t *call,
                          ac_instance_t **out_instance) {
  (void)ctx; (void)call;
  noop_state_t *state = calloc(1, sizeof *state);
  if (state == NULL) return AC_ERROR;
  state->created_with_config_bytes = config.len;
  *out_instance = (ac_instance_t *)state;
  return AC_OK;
}

static void destroy(ac_instance_t *instance) { free(instance); }

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  ac_str_t json = {output, sizeof output - 1};
  host->call_set_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR,
    .abi_minor = AC_ABI_VERSION_MINOR,
    .id = BENCH_ID,
    .name = "Bench no-op",
    .version = "1.0.0",
    .category = "bench",
    .description = "answers every query with a fixed object",
    .capabilities = AC_CAP_AGENT_QUERY,
    .config_schema = "{\"type\":\"object\"}",
    .create = create,
    .destroy = destroy,
    .on_agent_query = query,
};

AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *h) {
  host = h;
  return &descriptor;
}
