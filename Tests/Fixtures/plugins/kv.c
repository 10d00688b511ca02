/* Drives the host key-value store from its query text:
 *   "set KEY VALUE" -> {"status":S}     "get KEY" -> {"status":S,"value":"..."}
 *   "delete KEY"    -> {"status":S}     "setbig KEY N" sets an N-byte value.
 *   "log TEXT"      -> logs TEXT at warning level with the field source=kv-fixture. */
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>

typedef struct { ac_context_t *ctx; } kv_instance_t;

static ac_status_t create(ac_context_t *ctx, ac_str_t config, ac_call_t *call,
                          ac_instance_t **out_instance) {
  (void)config; (void)call;
  kv_instance_t *instance = malloc(sizeof *instance);
  instance->ctx = ctx;
  *out_instance = (ac_instance_t *)instance;
  return AC_OK;
}

static void destroy(ac_instance_t *instance) { free(instance); }

static ac_status_t query(ac_instance_t *opaque, ac_str_t text, ac_call_t *call) {
  ac_context_t *ctx = ((kv_instance_t *)opaque)->ctx;
  char command[512];
  size_t n = text.len < sizeof command - 1 ? text.len : sizeof command - 1;
  memcpy(command, text.ptr, n);
  command[n] = 0;
  char verb[16], key[300], value[200];
  char json[1024];
  value[0] = 0;
  if (sscanf(command, "%15s %299s %199s", verb, key, value) < 2) {
    fx_error(call, "bad command");
    return AC_ERR_INVALID_INPUT;
  }
  ac_status_t status;
  if (strcmp(verb, "set") == 0) {
    status = host->kv_set(ctx, fx_str(key), fx_str(value));
    snprintf(json, sizeof json, "{\"status\":%d}", status);
  } else if (strcmp(verb, "setbig") == 0) {
    size_t size = (size_t)atol(value);
    char *big = calloc(size, 1);
    ac_str_t big_value = {big, size};
    status = host->kv_set(ctx, fx_str(key), big_value);
    free(big);
    snprintf(json, sizeof json, "{\"status\":%d}", status);
  } else if (strcmp(verb, "get") == 0) {
    ac_buffer_t *buffer = NULL;
    status = host->kv_get(ctx, fx_str(key), &buffer);
    if (status == AC_OK) {
      snprintf(json, sizeof json, "{\"status\":%d,\"value\":\"%.*s\"}", status,
               (int)buffer->data.len, buffer->data.ptr);
      host->buffer_free(buffer);
    } else {
      snprintf(json, sizeof json, "{\"status\":%d}", status);
    }
  } else if (strcmp(verb, "delete") == 0) {
    status = host->kv_delete(ctx, fx_str(key));
    snprintf(json, sizeof json, "{\"status\":%d}", status);
  } else if (strcmp(verb, "log") == 0) {
    ac_field_t field = {fx_str("source"), fx_str("kv-fixture")};
    host->log(ctx, AC_LOG_WARNING, fx_str(key), &field, 1);
    snprintf(json, sizeof json, "{\"status\":0}");
  } else {
    fx_error(call, "unknown verb");
    return AC_ERR_INVALID_INPUT;
  }
  fx_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "kv", .name = "Key-value", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = create,
    .destroy = destroy,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
