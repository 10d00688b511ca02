/* A plugin whose descriptor is shorter than today's: it ends after on_agent_query, as a
 * plugin built against an older minor (before the tool fields) would. The host must read
 * only struct_size bytes and treat the missing fields as absent. */
#include "fixture.h"
#include <stdio.h>

typedef struct {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char *id, *name, *version, *category, *description;
  uint32_t capabilities;
  const char *config_schema;
  ac_status_t (*create)(ac_context_t *, ac_str_t, ac_call_t *, ac_instance_t **);
  void (*destroy)(ac_instance_t *);
  ac_status_t (*on_agent_query)(ac_instance_t *, ac_str_t, ac_call_t *);
} older_descriptor_t;

_Static_assert(sizeof(older_descriptor_t) < sizeof(ac_plugin_descriptor_t), "shorter");
_Static_assert(offsetof(older_descriptor_t, on_agent_query) ==
                   offsetof(ac_plugin_descriptor_t, on_agent_query), "same prefix");

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  fx_output(call, "{\"older\":true}");
  return AC_OK;
}

static const older_descriptor_t descriptor = {
    .struct_size = sizeof(older_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR, .abi_minor = 0,
    .id = "older-minor", .name = "Older minor", .version = "0.9.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};

AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *h) {
  host = h;
  return (const ac_plugin_descriptor_t *)&descriptor;
}
