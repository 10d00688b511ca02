/* Crashes: its 3rd agent_query call in the process writes through a NULL pointer (SIGSEGV);
 * the calls before answer {"call": n}. For the process-isolation tests. */
#include "fixture.h"
#include <stdatomic.h>
#include <stdio.h>

static atomic_int calls;

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  int n = atomic_fetch_add(&calls, 1) + 1;
  if (n == 3) {
    /* Volatile pointer and pointee, so the compiler emits the store: neither a trap
     * instruction (SIGILL) nor nothing at all. */
    volatile int *volatile nowhere = NULL;
    *nowhere = n;
  }
  char json[32];
  snprintf(json, sizeof json, "{\"call\":%d}", n);
  fx_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "crash-third", .name = "Crash on the third call", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
