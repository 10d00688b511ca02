/* Crashes: every agent_query call calls abort() (SIGABRT). */
#include "fixture.h"
#include <stdlib.h>

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text; (void)call;
  abort();
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "abort-call", .name = "Abort on every call", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
