/* Its agent_query succeeds but sets an output that is not JSON. */
#include "fixture.h"

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  fx_output(call, "{\"unterminated\": ");
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "invalid-json", .name = "Invalid JSON", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
