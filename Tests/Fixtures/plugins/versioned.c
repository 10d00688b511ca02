/* A plugin whose version is chosen at build time, for the hot-reload tests: agent_query
 * answers {"version": PLUGIN_VERSION}.
 *   -DPLUGIN_VERSION='"2.0.0"'  the version (default "1.0.0")
 *   -DBROKEN                    ac_plugin_entry returns NULL: a replacement that fails validation */
#include "fixture.h"

#ifndef PLUGIN_VERSION
#define PLUGIN_VERSION "1.0.0"
#endif

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text;
  fx_output(call, "{\"version\":\"" PLUGIN_VERSION "\"}");
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "versioned", .name = "Versioned", .version = PLUGIN_VERSION,
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};

#ifdef BROKEN
AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *h) {
  host = h;
  (void)&descriptor;
  return NULL;
}
#else
FX_ENTRY(descriptor)
#endif
