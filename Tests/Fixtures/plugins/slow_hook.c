/* Its agent_query sleeps 3 s, far past the tests' short timeout. */
#include "fixture.h"
#include <unistd.h>

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  sleep(3);
  fx_output(call, "{\"late\":true}");
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "slow-hook", .name = "Slow hook", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
