/* Makes HTTP requests through the host from its query text "COUNT TIMEOUT_MS URL" and
 * reports each one: {"results":[{"status":S,"http":H},...]}. */
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>

typedef struct { ac_context_t *ctx; } http_instance_t;

static ac_status_t create(ac_context_t *ctx, ac_str_t config, ac_call_t *call,
                          ac_instance_t **out_instance) {
  (void)config; (void)call;
  http_instance_t *instance = malloc(sizeof *instance);
  instance->ctx = ctx;
  *out_instance = (ac_instance_t *)instance;
  return AC_OK;
}

static void destroy(ac_instance_t *instance) { free(instance); }

static ac_status_t query(ac_instance_t *opaque, ac_str_t text, ac_call_t *call) {
  ac_context_t *ctx = ((http_instance_t *)opaque)->ctx;
  char command[512];
  size_t n = text.len < sizeof command - 1 ? text.len : sizeof command - 1;
  memcpy(command, text.ptr, n);
  command[n] = 0;
  int count = 0;
  unsigned timeout_ms = 0;
  char url[400];
  if (sscanf(command, "%d %u %399s", &count, &timeout_ms, url) != 3 || count < 0 || count > 50) {
    fx_error(call, "expected: COUNT TIMEOUT_MS URL");
    return AC_ERR_INVALID_INPUT;
  }
  char json[4096];
  size_t used = (size_t)snprintf(json, sizeof json, "{\"results\":[");
  for (int i = 0; i < count; i++) {
    ac_field_t header = {fx_str("x-fixture"), fx_str("http-client")};
    ac_http_request_t request = {
        .struct_size = sizeof(ac_http_request_t),
        .method = fx_str("GET"),
        .url = fx_str(url),
        .headers = &header,
        .header_count = 1,
        .body = {NULL, 0},
        .timeout_ms = timeout_ms,
    };
    ac_http_response_t *response = NULL;
    ac_status_t status = host->http_request(ctx, &request, &response);
    used += (size_t)snprintf(json + used, sizeof json - used, "%s{\"status\":%d,\"http\":%d,\"body\":\"%.*s\"}",
                             i ? "," : "", status, response ? response->status : -1,
                             response ? (int)response->body.len : 0,
                             response ? response->body.ptr : "");
    if (response) host->http_response_free(response);
  }
  snprintf(json + used, sizeof json - used, "]}");
  fx_output(call, json);
  return AC_OK;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "http-client", .name = "HTTP client", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = create,
    .destroy = destroy,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
