/*
 * opendatabot.c — the opendatabot built-in: EDRPOU company lookups for agents.
 *
 * Written in plain C against agentcore_plugin.h, so it proves the C path of
 * the ABI (the webhooks built-in proves the Swift one). It keeps no state: no
 * instance, no host service, so every hook is a pure function of its input.
 *
 *   agent_query     finds every standalone 8-digit run in the query and
 *                   answers {"companies":[record, ...]} (see company.h), or
 *                   AC_NO_RESULT when there is none.
 *   lookup_company  JSON tool: {"code":"<8 digits>"} -> the same record.
 *   edrpou_is_valid typed tool: bool edrpou_is_valid(const char *code), called
 *                   by the host through libffi.
 */
#include <stdlib.h>
#include <string.h>

#include "agentcore_plugin.h"
#include "company.h"
#include "json_buffer.h"
#include "opendatabot.h"

/* At most this many distinct codes are answered per query, so a pasted
 * spreadsheet cannot produce an unbounded output. */
#define MAX_CODES_PER_QUERY 100

static const ac_host_api_t *host;

static ac_str_t str_of(const char *bytes, size_t length) {
  ac_str_t s = {bytes, length};
  return s;
}

static void set_error(ac_call_t *call, const char *message) {
  host->call_set_error(call, str_of(message, strlen(message)));
}

/* Hands a finished buffer to the host (which copies it) and frees it. */
static ac_status_t finish(odb_buffer *buffer, ac_call_t *call) {
  if (buffer->failed) {
    odb_buffer_free(buffer);
    set_error(call, "out of memory");
    return AC_ERROR;
  }
  host->call_set_output(call, str_of(buffer->data, buffer->length));
  odb_buffer_free(buffer);
  return AC_OK;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- create / destroy ---------------------------------------------------- */

static ac_status_t create(ac_context_t *ctx, ac_str_t config_json, ac_call_t *call, ac_instance_t **out_instance) {
  (void)ctx;
  (void)config_json; /* the schema admits only {} */
  (void)call;
  *out_instance = NULL; /* stateless */
  return AC_OK;
}

/* ---- agent_query ----------------------------------------------------------- */

static ac_status_t on_agent_query(ac_instance_t *instance, ac_str_t query, ac_call_t *call) {
  (void)instance;
  const char *found[MAX_CODES_PER_QUERY];
  size_t found_count = 0;

  size_t i = 0;
  while (i < query.len && found_count < MAX_CODES_PER_QUERY) {
    if (!is_digit(query.ptr[i])) {
      i++;
      continue;
    }
    size_t start = i;
    while (i < query.len && is_digit(query.ptr[i])) i++;
    /* Only a run of exactly eight digits is a code: 8 digits inside a longer
     * run (an IBAN, a phone number) are not. */
    if (i - start != 8) continue;
    const char *code = query.ptr + start;
    bool seen = false;
    for (size_t k = 0; k < found_count && !seen; k++) seen = memcmp(found[k], code, 8) == 0;
    if (!seen) found[found_count++] = code;
  }
  if (found_count == 0) return AC_NO_RESULT;

  odb_buffer buffer = {0};
  odb_buffer_puts(&buffer, "{\"companies\":[");
  for (size_t k = 0; k < found_count; k++) {
    if (k > 0) odb_buffer_puts(&buffer, ",");
    odb_write_company(&buffer, found[k]);
  }
  odb_buffer_puts(&buffer, "]}");
  return finish(&buffer, call);
}

/* ---- lookup_company (JSON tool) -------------------------------------------- */

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Decodes the JSON string starting at json.ptr[*at] (its opening quote) into
 * `out`, NUL-terminated, and moves *at past the closing quote. Escapes are
 * decoded when they stand for ASCII. Returns false, with *at still past the
 * string, when the string does not fit in `capacity` bytes or holds a
 * non-ASCII escape: neither can be an 8-digit code or one of our keys. */
static bool read_string(ac_str_t json, size_t *at, char *out, size_t capacity) {
  size_t i = *at + 1;
  size_t n = 0;
  bool fits = true;
  while (i < json.len && json.ptr[i] != '"') {
    char c = json.ptr[i];
    if (c == '\\' && i + 1 < json.len) {
      char e = json.ptr[++i];
      if (e == 'u' && i + 4 < json.len) {
        unsigned value = 0;
        for (int h = 1; h <= 4; h++) {
          char x = json.ptr[i + h];
          value = value * 16 + (unsigned)(is_digit(x) ? x - '0' : (x | 0x20) - 'a' + 10);
        }
        i += 4;
        if (value > 0x7F) fits = false;
        c = (char)value;
      } else {
        c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
      }
    }
    if (n + 1 < capacity) {
      out[n++] = c;
    } else {
      fits = false;
    }
    i++;
  }
  out[n] = '\0';
  *at = i + 1;
  return fits;
}

/* Reads the string member `key` of the top-level JSON object `json` into
 * `out`. Returns false when the member is missing, is not a string or does
 * not fit. The host validated the input against the tool's schema, so this
 * reads valid JSON only; it never reads past json.len. */
static bool read_string_member(ac_str_t json, const char *key, char *out, size_t capacity) {
  int depth = 0;
  size_t i = 0;
  while (i < json.len) {
    char c = json.ptr[i];
    if (c == '{' || c == '[') {
      depth++;
      i++;
    } else if (c == '}' || c == ']') {
      depth--;
      i++;
    } else if (c == '"') {
      char name[64];
      bool fits = read_string(json, &i, name, sizeof name);
      size_t after = i;
      while (after < json.len && is_space(json.ptr[after])) after++;
      bool is_key = depth == 1 && after < json.len && json.ptr[after] == ':';
      if (!is_key || !fits || strcmp(name, key) != 0) continue;
      i = after + 1;
      while (i < json.len && is_space(json.ptr[i])) i++;
      if (i >= json.len || json.ptr[i] != '"') return false;
      return read_string(json, &i, out, capacity);
    } else {
      i++;
    }
  }
  return false;
}

static ac_status_t lookup_company(ac_str_t input_json, ac_call_t *call) {
  char code[16];
  if (!read_string_member(input_json, "code", code, sizeof code) || strlen(code) != 8) {
    set_error(call, "input.code must be a string of 8 digits");
    return AC_ERR_INVALID_INPUT;
  }
  for (int i = 0; i < 8; i++) {
    if (!is_digit(code[i])) {
      set_error(call, "input.code must be a string of 8 digits");
      return AC_ERR_INVALID_INPUT;
    }
  }
  odb_buffer buffer = {0};
  odb_write_company(&buffer, code);
  return finish(&buffer, call);
}

static ac_status_t on_tool_invoke(ac_instance_t *instance, ac_str_t tool_name, ac_str_t input_json,
                                  ac_call_t *call) {
  (void)instance;
  if (tool_name.len == strlen("lookup_company") && memcmp(tool_name.ptr, "lookup_company", tool_name.len) == 0) {
    return lookup_company(input_json, call);
  }
  set_error(call, "unknown tool");
  return AC_ERR_NOT_FOUND;
}

/* ---- edrpou_is_valid (typed tool) ------------------------------------------ */

/* The typed tool's function: the host passes the JSON input's "code" string
 * (host-owned, valid for the call) and turns the bool into JSON. */
static bool edrpou_is_valid_tool(const char *code) { return odb_edrpou_is_valid(code); }

/* ---- descriptor -------------------------------------------------------------- */

static const ac_tool_t lookup_company_tool = {
    .struct_size = sizeof(ac_tool_t),
    .name = "lookup_company",
    .description = "The company registered under an EDRPOU code: name, status, address, director and "
                   "registration date, or valid:false when the code fails its control digit.",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[0-9]{8}$\","
                    "\"description\":\"8-digit EDRPOU code\"}},\"required\":[\"code\"],\"additionalProperties\":false}",
    .kind = AC_TOOL_JSON,
};

static const ac_param_t edrpou_is_valid_params[] = {
    {.name = "code", .type = AC_TYPE_STRING, .description = "the code to check, 8 digits"},
};

static const ac_tool_t edrpou_is_valid_tool_definition = {
    .struct_size = sizeof(ac_tool_t),
    .name = "edrpou_is_valid",
    .description = "Whether a string is a well-formed EDRPOU code: 8 digits whose last is the control digit.",
    .input_schema = NULL, /* derived by the host from the parameters */
    .kind = AC_TOOL_TYPED,
    .typed_fn = (void (*)(void))edrpou_is_valid_tool,
    .params = edrpou_is_valid_params,
    .param_count = 1,
    .result_type = AC_TYPE_BOOL,
    .free_string_result = NULL,
};

static const ac_tool_t *const tools[] = {&lookup_company_tool, &edrpou_is_valid_tool_definition};

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR,
    .abi_minor = AC_ABI_VERSION_MINOR,
    .id = "opendatabot",
    .name = "Opendatabot",
    .version = "1.0.0",
    .category = "enrichment",
    .description = "Finds EDRPOU codes (Ukrainian company registry numbers) in agent queries and answers one "
                   "company record per code; codes failing the control digit are reported invalid.",
    .capabilities = AC_CAP_AGENT_QUERY | AC_CAP_TOOLS,
    .config_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
    .create = create,
    .destroy = NULL, /* create allocates nothing */
    .on_agent_query = on_agent_query,
    .on_approval_created = NULL,
    .on_document_ready = NULL,
    .tools = tools,
    .tool_count = sizeof tools / sizeof tools[0],
    .on_tool_invoke = on_tool_invoke,
};

const ac_plugin_descriptor_t *ac_plugin_entry(const ac_host_api_t *host_api) {
  if (host_api == NULL || host_api->abi_major != AC_ABI_VERSION_MAJOR ||
      !AC_HAS_FIELD(host_api, ac_host_api_t, buffer_free)) {
    return NULL;
  }
  host = host_api;
  return &descriptor;
}
