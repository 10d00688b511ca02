/* Bench plugin: an agent_query hook that sleeps 10 ms, then answers.
 * Compiled by agentcore-bench with -DBENCH_ID="..." (the fan-out scenario loads 20). */
#include "agentcore_plugin.h"
#include <time.h>

#ifndef BENCH_ID
#define BENCH_ID "sleep"
#endif

#ifndef BENCH_SLEEP_MS
#define BENCH_SLEEP_MS 10
#endif

static const ac_host_api_t *host;
static const char output[] = "{\"slept\":true}";

static ac_status_t create(ac_context_t *ctx, ac_str_t config, ac_call_t *call,
                          ac_instance_t **out_instance) {
  (void)ctx; (void)config; (void)call;
  *out_instance = NULL;
  return AC_OK;
}

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  struct timespec delay = {0, BENCH_SLEEP_MS * 1000000L};
  while (nanosleep(&delay, &delay) != 0) {
  }
  ac_str_t json = {output, sizeof output - 1};
  host->call_set_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR,
    .abi_minor = AC_ABI_VERSION_MINOR,
    .id = BENCH_ID,
    .name = "Bench sleeper",
    .version = "1.0.0",
    .category = "bench",
    .description = "sleeps 10 ms per query",
    .capabilities = AC_CAP_AGENT_QUERY,
    .config_schema = "{\"type\":\"object\"}",
    .create = create,
    .on_agent_query = query,
};

AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *h) {
  host = h;
  return &descriptor;
}
