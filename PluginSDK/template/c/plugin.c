/*
 * my-plugin: an agentcore plugin in C.
 *
 * Build:   make                 (-> libmy-plugin.so; see the Makefile)
 *    or:   cc -shared -fPIC -fvisibility=hidden -O2 -Wall -I../../include plugin.c -o libmy-plugin.so
 * Check:   agentcore plugin check ./libmy-plugin.so
 * Install: copy libmy-plugin.so into the server's plugin directory (./plugins).
 *
 * It answers agent queries with an echo of the query and of the namespace's
 * config. agentcore_plugin.h documents every function used here: read it for
 * ownership (who frees what), threading and time bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "agentcore_plugin.h"

/* The host table, received once in ac_plugin_entry; valid until unload. */
static const ac_host_api_t *host;

/* One instance per namespace. The config never changes after create, so the
 * hooks may read it from several threads at once without a lock. */
typedef struct my_instance {
  ac_context_t *ctx;
  char *config; /* the config JSON, copied: create's argument is borrowed */
  size_t config_len;
} my_instance;

static ac_str_t str(const char *text) {
  ac_str_t s = {text, strlen(text)};
  return s;
}

/* ---- a small JSON writer -------------------------------------------------- */

typedef struct buffer {
  char *data;
  size_t len, cap;
  int failed;
} buffer;

static void append(buffer *b, const char *bytes, size_t len) {
  if (b->failed) return;
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + len) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (grown == NULL) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, bytes, len);
  b->len += len;
}

/* A JSON string literal: quote, backslash and control characters escaped. */
static void append_json_string(buffer *b, const char *bytes, size_t len) {
  static const char hex[] = "0123456789abcdef";
  append(b, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)bytes[i];
    if (c == '"' || c == '\\') {
      char escaped[2] = {'\\', (char)c};
      append(b, escaped, 2);
    } else if (c < 0x20) {
      char escaped[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      append(b, escaped, 6);
    } else {
      append(b, &bytes[i], 1);
    }
  }
  append(b, "\"", 1);
}

/* ---- hooks ------------------------------------------------------------------ */

static ac_status_t create(ac_context_t *ctx, ac_str_t config_json, ac_call_t *call, ac_instance_t **out_instance) {
  my_instance *instance = calloc(1, sizeof *instance);
  char *config = malloc(config_json.len ? config_json.len : 1);
  if (instance == NULL || config == NULL) {
    free(instance);
    free(config);
    host->call_set_error(call, str("out of memory"));
    return AC_ERROR;
  }
  if (config_json.len) memcpy(config, config_json.ptr, config_json.len);
  instance->ctx = ctx;
  instance->config = config;
  instance->config_len = config_json.len;
  *out_instance = (ac_instance_t *)instance;
  return AC_OK;
}

static void destroy(ac_instance_t *opaque) {
  my_instance *instance = (my_instance *)opaque;
  free(instance->config);
  free(instance);
}

/* {"echo":"<the query>","config":<the namespace's config>}, or nothing to add
 * for an empty query. */
static ac_status_t on_agent_query(ac_instance_t *opaque, ac_str_t query, ac_call_t *call) {
  my_instance *instance = (my_instance *)opaque;
  if (query.len == 0) return AC_NO_RESULT;

  ac_field_t fields[] = {{str("plugin"), str("my-plugin")}};
  host->log(instance->ctx, AC_LOG_DEBUG, str("answering a query"), fields, 1);

  buffer out = {0};
  append(&out, "{\"echo\":", 8);
  append_json_string(&out, query.ptr, query.len);
  append(&out, ",\"config\":", 10);
  append(&out, instance->config, instance->config_len);
  append(&out, "}", 1);
  if (out.failed) {
    free(out.data);
    host->call_set_error(call, str("out of memory"));
    return AC_ERROR;
  }
  ac_str_t json = {out.data, out.len};
  host->call_set_output(call, json); /* the host copies the bytes */
  free(out.data);
  return AC_OK;
}

/* ---- descriptor ------------------------------------------------------------- */

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR,
    .abi_minor = AC_ABI_VERSION_MINOR,
    .id = "my-plugin",
    .name = "my-plugin",
    .version = "0.1.0",
    .category = "enrichment",
    .description = "Echoes the agent's query and the namespace's config.",
    .capabilities = AC_CAP_AGENT_QUERY,
    .config_schema = "{\"type\":\"object\",\"properties\":{\"greeting\":{\"type\":\"string\",\"default\":\"Hello\","
                     "\"maxLength\":200}},\"additionalProperties\":false}",
    .create = create,
    .destroy = destroy,
    .on_agent_query = on_agent_query,
    /* Hooks left NULL are capabilities this plugin does not have. */
};

const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *host_api) {
  /* Refuse a host of another ABI major: its table may not be what we expect. */
  if (host_api == NULL || host_api->abi_major != AC_ABI_VERSION_MAJOR) return NULL;
  host = host_api;
  return &descriptor;
}
