/* Helpers shared by the test fixture plugins. Each fixture breaks (or exercises) one rule. */
#ifndef AGENTCORE_FIXTURE_H
#define AGENTCORE_FIXTURE_H

#include "agentcore_plugin.h"
#include <string.h>

static const ac_host_api_t *host;

static inline ac_str_t fx_str(const char *text) {
  ac_str_t s = {text, strlen(text)};
  return s;
}

static inline void fx_output(ac_call_t *call, const char *json) {
  host->call_set_output(call, fx_str(json));
}

static inline void fx_error(ac_call_t *call, const char *message) {
  host->call_set_error(call, fx_str(message));
}

/* A create that accepts any config and keeps no state. */
static inline ac_status_t fx_create_stateless(ac_context_t *ctx, ac_str_t config,
                                       ac_call_t *call,
                                       ac_instance_t **out_instance) {
  (void)ctx; (void)config; (void)call;
  *out_instance = NULL;
  return AC_OK;
}

#define FX_DESCRIPTOR_HEADER                                                   \
  .struct_size = sizeof(ac_plugin_descriptor_t),                               \
  .abi_major = AC_ABI_VERSION_MAJOR, .abi_minor = AC_ABI_VERSION_MINOR

#define FX_ENTRY(DESCRIPTOR)                                                   \
  AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *ac_plugin_entry(              \
      const ac_host_api_t *h) {                                                \
    host = h;                                                                  \
    return &(DESCRIPTOR);                                                      \
  }

#endif
