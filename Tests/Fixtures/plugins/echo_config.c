/* Echoes the config its instance was created with (registry invalidation tests), counts
 * live instances (destroy tests), and echoes approval events it receives. */
#include "fixture.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_int live_instances;

typedef struct {
  char *config;
  size_t config_len;
  ac_context_t *ctx;
} echo_instance_t;

static ac_status_t create(ac_context_t *ctx, ac_str_t config, ac_call_t *call,
                          ac_instance_t **out_instance) {
  (void)call;
  echo_instance_t *instance = malloc(sizeof *instance);
  instance->config = malloc(config.len + 1);
  memcpy(instance->config, config.ptr, config.len);
  instance->config[config.len] = 0;
  instance->config_len = config.len;
  instance->ctx = ctx;
  atomic_fetch_add(&live_instances, 1);
  *out_instance = (ac_instance_t *)instance;
  return AC_OK;
}

static void destroy(ac_instance_t *opaque) {
  echo_instance_t *instance = (echo_instance_t *)opaque;
  free(instance->config);
  free(instance);
  atomic_fetch_sub(&live_instances, 1);
}

static ac_status_t query(ac_instance_t *opaque, ac_str_t text, ac_call_t *call) {
  (void)text;
  echo_instance_t *instance = (echo_instance_t *)opaque;
  ac_str_t ns = host->context_namespace_id(instance->ctx);
  ac_str_t dept = host->context_department_id(instance->ctx);
  size_t size = instance->config_len + ns.len + dept.len + 128;
  char *json = malloc(size);
  int n = snprintf(json, size, "{\"config\":%s,\"namespaceId\":\"%.*s\",\"departmentId\":\"%.*s\",\"live\":%d}",
                   instance->config, (int)ns.len, ns.ptr, (int)dept.len, dept.ptr,
                   atomic_load(&live_instances));
  ac_str_t out = {json, (size_t)n};
  host->call_set_output(call, out);
  free(json);
  return AC_OK;
}

static ac_status_t approval(ac_instance_t *instance, ac_str_t event, ac_call_t *call) {
  (void)instance;
  host->call_set_output(call, event);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "echo-config", .name = "Echo config", .version = "2.1.0-beta.1+build.5",
    .category = "test", .description = "echoes its config",
    .capabilities = AC_CAP_AGENT_QUERY | AC_CAP_APPROVAL_HOOK,
    .config_schema =
        "{\"type\":\"object\",\"properties\":{\"version\":{\"type\":\"integer\"},"
        "\"greeting\":{\"type\":\"string\",\"default\":\"hi\"}},\"required\":[\"version\"]}",
    .create = create,
    .destroy = destroy,
    .on_agent_query = query,
    .on_approval_created = approval,
};
FX_ENTRY(descriptor)
