/*
 * server_config_echo.c — fixture of the server's end-to-end suite
 * (Tests/AgentCoreServerTests).
 *
 * Plugin "config-echo": its agent_query output is {"config": <its config>},
 * so a test sees which config an instance was created with (cache
 * invalidation, secret round trip). The schema has defaults, a writeOnly
 * secret at the top level and one nested, and refuses unknown properties.
 *
 * Build: cc -shared -fPIC -I PluginSDK/include -o server_config_echo.so server_config_echo.c
 */
#include "agentcore_plugin.h"

#include <stdlib.h>
#include <string.h>

static const ac_host_api_t *host;

typedef struct echo_instance {
  char *config;
  size_t config_len;
} echo_instance_t;

static ac_status_t echo_create(ac_context_t *ctx, ac_str_t config_json,
                               ac_call_t *call, ac_instance_t **out_instance) {
  (void)ctx;
  echo_instance_t *instance = malloc(sizeof *instance);
  char *copy = malloc(config_json.len + 1);
  if (instance == NULL || copy == NULL) {
    free(instance);
    free(copy);
    static const char message[] = "out of memory";
    host->call_set_error(call, (ac_str_t){message, sizeof message - 1});
    return AC_ERROR;
  }
  if (config_json.len > 0) memcpy(copy, config_json.ptr, config_json.len);
  instance->config = copy;
  instance->config_len = config_json.len;
  *out_instance = (ac_instance_t *)instance;
  return AC_OK;
}

static void echo_destroy(ac_instance_t *opaque) {
  echo_instance_t *instance = (echo_instance_t *)opaque;
  if (instance == NULL) return;
  free(instance->config);
  free(instance);
}

static ac_status_t echo_query(ac_instance_t *opaque, ac_str_t query,
                              ac_call_t *call) {
  (void)query;
  echo_instance_t *instance = (echo_instance_t *)opaque;
  static const char prefix[] = "{\"config\":";
  size_t length = sizeof prefix - 1 + instance->config_len + 1;
  char *output = malloc(length);
  if (output == NULL) return AC_ERROR;
  memcpy(output, prefix, sizeof prefix - 1);
  memcpy(output + sizeof prefix - 1, instance->config, instance->config_len);
  output[length - 1] = '}';
  host->call_set_output(call, (ac_str_t){output, length});
  free(output);
  return AC_OK;
}

static const char schema[] =
    "{\"type\":\"object\","
    "\"properties\":{"
    "\"version\":{\"type\":\"integer\",\"minimum\":0,\"default\":0},"
    "\"label\":{\"type\":\"string\",\"default\":\"plain\"},"
    "\"token\":{\"type\":\"string\",\"minLength\":8,\"writeOnly\":true},"
    "\"nested\":{\"type\":\"object\",\"properties\":{"
    "\"password\":{\"type\":\"string\",\"writeOnly\":true},"
    "\"user\":{\"type\":\"string\"}},"
    "\"additionalProperties\":false},"
    "\"mode\":{\"enum\":[\"fast\",\"safe\"]}},"
    "\"additionalProperties\":false}";

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR,
    .abi_minor = AC_ABI_VERSION_MINOR,
    .id = "config-echo",
    .name = "Config echo",
    .version = "1.0.0",
    .category = "testing",
    .description = "Answers every query with the config of its instance.",
    .capabilities = AC_CAP_AGENT_QUERY,
    .config_schema = schema,
    .create = echo_create,
    .destroy = echo_destroy,
    .on_agent_query = echo_query,
};

AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *
ac_plugin_entry(const ac_host_api_t *h) {
  host = h;
  return &descriptor;
}
