/* Hangs: every agent_query call spins forever, never returning or sleeping. */
#include "fixture.h"

static volatile int spinning = 1;

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text; (void)call;
  /* Volatile, so the compiler can neither drop the loop nor prove it endless: nothing ever
   * clears the flag. */
  volatile unsigned long spins = 0;
  while (spinning) {
    spins++;
  }
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "loop-forever", .name = "Loop forever", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
