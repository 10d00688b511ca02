/* A well-behaved agent_query plugin: answers {"hello": <query length>}.
 * Compiled with -DFX_ID=... so the tests can make several (or duplicate) ids. */
#include "fixture.h"
#include <stdio.h>

#ifndef FX_ID
#define FX_ID "hello"
#endif

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance;
  char json[64];
  snprintf(json, sizeof json, "{\"hello\":%zu}", text.len);
  fx_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = FX_ID, .name = "Hello", .version = "1.0.0", .category = "test",
    .description = "answers every query",
    .capabilities = AC_CAP_AGENT_QUERY,
    .config_schema = "{\"type\":\"object\"}",
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
