/*
 * agentcore_plugin.h — the C ABI between the agentcore host and its plugins.
 *
 * This header is the whole contract. A plugin is a shared object (.so) that
 * exports one symbol, AC_PLUGIN_ENTRY_SYMBOL ("ac_plugin_entry"). The host
 * dlopens the file, resolves that symbol, calls it once with its host API
 * table, and receives the plugin's descriptor: identity, capabilities, config
 * JSON Schema, tools and hook functions.
 *
 * Conventions, valid for every function below unless it says otherwise:
 *
 *  - Names: types are ac_*_t, hooks the plugin implements are on_* members of
 *    ac_plugin_descriptor_t, functions the host provides are members of
 *    ac_host_api_t. Every macro starts with AC_.
 *  - Text crosses as UTF-8 bytes with an explicit length (ac_str_t). Strings
 *    are NOT NUL-terminated unless a comment says so.
 *  - OWNERSHIP: memory is always freed by the side that allocated it.
 *      * Arguments the host passes to a hook are borrowed: valid until the hook
 *        returns, never freed by the plugin.
 *      * A hook never returns heap memory. It hands its result to the host with
 *        host->call_set_output / host->call_set_error, which copy the bytes.
 *      * Objects the host returns to the plugin (HTTP responses, key-value
 *        values) are freed by the plugin through the host's matching *_free
 *        function, never with free().
 *      * Descriptor, tool definitions and every string they point to are owned
 *        by the plugin and must stay valid and unchanged until the library is
 *        unloaded (static storage is the normal choice).
 *  - THREADS: the host calls hooks from its own plugin threads, never from its
 *    async runtime. Hooks MAY block (sleep, I/O, host->http_request). Hooks of
 *    one instance MAY run concurrently on several threads, so an instance must
 *    be safe for concurrent use (treat its config as immutable after create).
 *    create and destroy of an instance never overlap any other call on that
 *    same instance. Every host function is thread-safe.
 *  - TIME: every create and hook call is bounded by the host (5 s by default).
 *    When the bound passes, the host stops waiting and reports a timeout; it
 *    cannot interrupt native code, so the thread stays occupied until the hook
 *    returns, and the host caps how many threads one plugin may occupy.
 *  - GROWTH: ac_plugin_descriptor_t, ac_host_api_t, ac_tool_t and the HTTP
 *    structs start with their own size and only ever grow by appending fields
 *    at the end. A reader checks the size before touching a field (see
 *    AC_HAS_FIELD). A hook or tool left NULL means the capability is absent;
 *    adding a hook in a later minor never makes older plugins fail to load.
 */
#ifndef AGENTCORE_PLUGIN_H
#define AGENTCORE_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versioning                                                               */
/* ------------------------------------------------------------------------ */

/*
 * ABI version. The host refuses a plugin built for another major, or for a
 * higher minor than the host knows. Minor bumps only append fields.
 */
#define AC_ABI_VERSION_MAJOR 1
#define AC_ABI_VERSION_MINOR 0

/* The one symbol every plugin exports (see ac_plugin_entry_fn). */
#define AC_PLUGIN_ENTRY_SYMBOL "ac_plugin_entry"

/* True when the struct pointed to by PTR, which starts with a uint32_t
 * struct_size, is large enough to contain FIELD. */
#define AC_HAS_FIELD(PTR, TYPE, FIELD)                                        \
  ((PTR) != NULL &&                                                           \
   (PTR)->struct_size >= offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

/* ------------------------------------------------------------------------ */
/* Basic types                                                              */
/* ------------------------------------------------------------------------ */

/* A borrowed view of UTF-8 bytes. ptr may be NULL only when len == 0. */
typedef struct ac_str {
  const char *ptr;
  size_t len;
} ac_str_t;

/* A key/value pair of strings (log fields, HTTP headers). Borrowed. */
typedef struct ac_field {
  ac_str_t key;
  ac_str_t value;
} ac_field_t;

/* Status of every fallible call, in both directions. */
typedef enum ac_status {
  /* Success; the hook may have set an output. */
  AC_OK = 0,
  /* Success with nothing to add (agent_query that found nothing relevant). */
  AC_NO_RESULT = 1,
  /* Failure; a message set with call_set_error says what went wrong. */
  AC_ERROR = -1,
  /* The input (config, event, tool input) was not acceptable. */
  AC_ERR_INVALID_INPUT = -2,
  /* The key, tool or resource does not exist. */
  AC_ERR_NOT_FOUND = -3,
  /* Host service refused the call: this plugin's rate limit for the
   * namespace is exhausted. */
  AC_ERR_RATE_LIMITED = -4,
  /* Host service gave up: the time bound passed. */
  AC_ERR_TIMEOUT = -5,
  /* Host service could not reach its target (connection refused, DNS). */
  AC_ERR_UNAVAILABLE = -6,
  /* The call is not supported by this side (e.g. an unknown tool). */
  AC_ERR_UNSUPPORTED = -7
} ac_status_t;

/* Capabilities a plugin declares; each one must be backed by its hooks. */
typedef enum ac_capability {
  AC_CAP_AGENT_QUERY = 1u << 0,   /* needs on_agent_query */
  AC_CAP_APPROVAL_HOOK = 1u << 1, /* needs on_approval_created */
  AC_CAP_DOCUMENT_HOOK = 1u << 2, /* needs on_document_ready */
  AC_CAP_TOOLS = 1u << 3          /* needs tool_count > 0 */
} ac_capability_t;

typedef enum ac_log_level {
  AC_LOG_TRACE = 0,
  AC_LOG_DEBUG = 1,
  AC_LOG_INFO = 2,
  AC_LOG_WARNING = 3,
  AC_LOG_ERROR = 4
} ac_log_level_t;

/* Opaque host objects. */

/* One plugin instance's view of the host: namespace, department, scoped
 * services. Valid from the start of create until destroy returns. */
typedef struct ac_context ac_context_t;
/* One hook call in flight; receives its output or error. Valid only during
 * the hook call it was passed to. */
typedef struct ac_call ac_call_t;
/* The plugin's per-namespace state, returned by create. Never dereferenced
 * by the host. */
typedef struct ac_instance ac_instance_t;

/* ------------------------------------------------------------------------ */
/* Host services                                                            */
/* ------------------------------------------------------------------------ */

/* An outbound HTTP request. Every pointer is borrowed for the call. */
typedef struct ac_http_request {
  uint32_t struct_size;   /* sizeof(ac_http_request_t) */
  ac_str_t method;        /* "GET", "POST", ... */
  ac_str_t url;           /* absolute http:// or https:// URL */
  const ac_field_t *headers;
  size_t header_count;
  ac_str_t body;          /* may be empty */
  uint32_t timeout_ms;    /* 0 = host default; the host caps it anyway */
} ac_http_request_t;

/* An HTTP response, allocated by the host. OWNERSHIP: the plugin frees it
 * with host->http_response_free, exactly once, and must not keep pointers
 * into it afterwards. */
typedef struct ac_http_response {
  uint32_t struct_size;   /* sizeof(ac_http_response_t) */
  int32_t status;         /* HTTP status, or 0 when no response arrived */
  const ac_field_t *headers;
  size_t header_count;
  ac_str_t body;
  ac_str_t error;         /* why the request failed; empty on AC_OK */
} ac_http_response_t;

/* A value read from the key-value store, allocated by the host. OWNERSHIP:
 * the plugin frees it with host->buffer_free. */
typedef struct ac_buffer {
  ac_str_t data;
} ac_buffer_t;

/*
 * The host API table, passed to ac_plugin_entry. Valid until the library is
 * unloaded; the plugin may keep the pointer in a global.
 * Append-only: new functions go at the end under a version comment. A plugin
 * that calls a function from a later minor checks AC_HAS_FIELD first.
 */
typedef struct ac_host_api {
  uint32_t struct_size;   /* sizeof(ac_host_api_t) as the host knows it */
  uint16_t abi_major;     /* AC_ABI_VERSION_MAJOR of the host */
  uint16_t abi_minor;     /* AC_ABI_VERSION_MINOR of the host */

  /* ---- ABI 1.0 ---- */

  /* Sets the JSON output of the call. The host copies the bytes; the last
   * call wins. Must be valid JSON, or the host reports the call as an error.
   * Never blocks. */
  void (*call_set_output)(ac_call_t *call, ac_str_t json);

  /* Sets the error message of the call (human-readable). The host copies
   * the bytes, logs and reports them when the hook returns an error status.
   * Never blocks. */
  void (*call_set_error)(ac_call_t *call, ac_str_t message);

  /* Structured log line, tagged by the host with plugin id, namespace and
   * department. fields may be NULL when field_count is 0. The host copies
   * everything. Never blocks for long. */
  void (*log)(ac_context_t *ctx, ac_log_level_t level, ac_str_t message,
              const ac_field_t *fields, size_t field_count);

  /* The namespace / department this instance serves. The returned bytes are
   * owned by the host and valid as long as ctx. Never blocks. */
  ac_str_t (*context_namespace_id)(ac_context_t *ctx);
  ac_str_t (*context_department_id)(ac_context_t *ctx);

  /* Performs an HTTP request on behalf of the instance. BLOCKS the calling
   * thread until the response, the time bound or a refusal. The host limits
   * the request rate per plugin per namespace (AC_ERR_RATE_LIMITED when
   * exceeded; the request is not sent) and bounds its time (AC_ERR_TIMEOUT).
   * Connection failures give AC_ERR_UNAVAILABLE. On return *out_response is
   * always set, whatever the status; free it with http_response_free.
   * Call only from inside create or a hook of this ctx's instance. */
  ac_status_t (*http_request)(ac_context_t *ctx,
                              const ac_http_request_t *request,
                              ac_http_response_t **out_response);
  void (*http_response_free)(ac_http_response_t *response);

  /* Key-value store private to (plugin, namespace), persisted by the host.
   * Keys are at most 256 bytes, values at most 64 KiB. May block briefly
   * (a database write). kv_get returns AC_ERR_NOT_FOUND for a missing key,
   * otherwise sets *out_value, which the plugin frees with buffer_free. */
  ac_status_t (*kv_get)(ac_context_t *ctx, ac_str_t key,
                        ac_buffer_t **out_value);
  ac_status_t (*kv_set)(ac_context_t *ctx, ac_str_t key, ac_str_t value);
  ac_status_t (*kv_delete)(ac_context_t *ctx, ac_str_t key);
  void (*buffer_free)(ac_buffer_t *buffer);
} ac_host_api_t;

/* ------------------------------------------------------------------------ */
/* Tools                                                                    */
/* ------------------------------------------------------------------------ */

/* Value types of typed tool parameters and results. */
typedef enum ac_type {
  AC_TYPE_VOID = 0,   /* result only: the tool returns nothing (JSON null) */
  AC_TYPE_INT64 = 1,  /* int64_t;  JSON integer */
  AC_TYPE_INT32 = 2,  /* int32_t;  JSON integer in int32 range */
  AC_TYPE_DOUBLE = 3, /* double;   JSON number */
  AC_TYPE_BOOL = 4,   /* bool;     JSON boolean */
  AC_TYPE_STRING = 5  /* const char *, NUL-terminated UTF-8; JSON string */
} ac_type_t;

/* One parameter of a typed tool. Borrowed, static. */
typedef struct ac_param {
  const char *name;        /* NUL-terminated; becomes the JSON property */
  ac_type_t type;          /* never AC_TYPE_VOID */
  const char *description; /* NUL-terminated, may be NULL */
} ac_param_t;

typedef enum ac_tool_kind {
  /* on_tool_invoke receives the tool's JSON input and sets a JSON output. */
  AC_TOOL_JSON = 0,
  /* The host calls typed_fn directly (through libffi) with the parameters
   * taken from the JSON input, and turns its return value into JSON. */
  AC_TOOL_TYPED = 1
} ac_tool_kind_t;

/*
 * A tool an agent can call. Owned by the plugin, static.
 *
 * JSON tools: input_schema is a JSON Schema (NUL-terminated); the host
 * validates the input against it before on_tool_invoke is called.
 *
 * Typed tools: typed_fn is a plain C function whose signature is
 *   result_type typed_fn(param[0].type, param[1].type, ...)
 * and input_schema may be NULL: the host derives an object schema with one
 * required property per parameter. String arguments are host-owned and valid
 * for the call only. A string result is copied by the host; if
 * free_string_result is not NULL the host then passes the pointer to it (so a
 * function returning malloc'd memory frees it with the plugin's own
 * allocator); if it is NULL the string must stay valid (static storage).
 * A NULL string result is reported as an error. Typed functions receive no
 * instance or context: they suit pure functions. They may block; they run
 * under the same time bound as hooks.
 */
typedef struct ac_tool {
  uint32_t struct_size;       /* sizeof(ac_tool_t) */
  const char *name;           /* [a-z0-9_]+, unique within the plugin */
  const char *description;    /* NUL-terminated */
  const char *input_schema;   /* JSON Schema, NUL-terminated (JSON tools) */
  ac_tool_kind_t kind;
  /* Typed tools only. */
  void (*typed_fn)(void);     /* cast from the real signature */
  const ac_param_t *params;
  uint32_t param_count;       /* at most 16 */
  ac_type_t result_type;
  void (*free_string_result)(char *result);
} ac_tool_t;

/* ------------------------------------------------------------------------ */
/* The plugin descriptor and its hooks                                      */
/* ------------------------------------------------------------------------ */

/*
 * What a plugin is and does. Returned by ac_plugin_entry; owned by the
 * plugin, valid (unchanged) until the library is unloaded.
 * Append-only, like ac_host_api_t.
 */
typedef struct ac_plugin_descriptor {
  uint32_t struct_size;   /* sizeof(ac_plugin_descriptor_t) */
  uint16_t abi_major;     /* AC_ABI_VERSION_MAJOR the plugin was built for */
  uint16_t abi_minor;     /* AC_ABI_VERSION_MINOR the plugin was built for */

  /* ---- ABI 1.0 ---- */

  /* Identity; NUL-terminated UTF-8. id matches [a-z0-9][a-z0-9-]* (at most
   * 64 bytes) and is unique among loaded plugins; version is semver. */
  const char *id;
  const char *name;
  const char *version;
  const char *category;     /* free-form, e.g. "enrichment", "integration" */
  const char *description;

  uint32_t capabilities;    /* bitwise OR of ac_capability_t */

  /* JSON Schema (draft 2020-12) of the per-namespace config; NUL-terminated.
   * NULL means no config is accepted but an empty object. */
  const char *config_schema;

  /*
   * Creates the instance serving one namespace. config_json is the config,
   * already validated against config_schema with its defaults applied
   * (borrowed). ctx stays valid until destroy returns; keep it in the
   * instance to reach host services. On AC_OK *out_instance is set (it may
   * be NULL if the plugin needs no state). On failure, set an error with
   * host->call_set_error(call, ...). May block; time-bounded.
   */
  ac_status_t (*create)(ac_context_t *ctx, ac_str_t config_json,
                        ac_call_t *call, ac_instance_t **out_instance);

  /* Destroys an instance. Called once per successful create, after every
   * hook call on it has returned. May be NULL if create allocates nothing. */
  void (*destroy)(ac_instance_t *instance);

  /* agent_query: enrich an agent's query. query is the raw text (borrowed).
   * Return AC_OK with a JSON output, or AC_NO_RESULT when there is nothing
   * to add. NULL = capability absent. */
  ac_status_t (*on_agent_query)(ac_instance_t *instance, ac_str_t query,
                                ac_call_t *call);

  /* approval.created. event_json (borrowed) is the event envelope
   *   {"event":"approval.created","deliveryId":"<stable id>","attempt":1,
   *    "occurredAt":"<RFC 3339>","namespaceId":"..","departmentId":"..",
   *    "data":{"approvalId":"..","title":"..","payload":<any JSON>}}
   * deliveryId is the same on every retry of one delivery; attempt counts
   * from 1. Return an error status to have the host retry. Output optional. */
  ac_status_t (*on_approval_created)(ac_instance_t *instance,
                                     ac_str_t event_json, ac_call_t *call);

  /* document.ready. event_json is the same envelope with
   *   "event":"document.ready","data":{"documentId":"..","name":"..",
   *   "size":<bytes>}. Return an error status to have the host retry. */
  ac_status_t (*on_document_ready)(ac_instance_t *instance,
                                   ac_str_t event_json, ac_call_t *call);

  /* Tools the plugin offers. tools points to tool_count pointers (an array
   * of pointers, so ac_tool_t can grow). */
  const ac_tool_t *const *tools;
  uint32_t tool_count;

  /* Invokes a JSON tool by name with its validated JSON input (borrowed);
   * sets a JSON output. Unknown name: return AC_ERR_NOT_FOUND. Required when
   * any tool is AC_TOOL_JSON. */
  ac_status_t (*on_tool_invoke)(ac_instance_t *instance, ac_str_t tool_name,
                                ac_str_t input_json, ac_call_t *call);
} ac_plugin_descriptor_t;

/*
 * The entry point, exported as AC_PLUGIN_ENTRY_SYMBOL with C linkage.
 * Called once per load, before anything else, on a host thread; host is valid
 * until unload. Returns the descriptor, or NULL to refuse to load (for
 * instance when host->abi_major differs from AC_ABI_VERSION_MAJOR). Must not
 * block for long and must not call host services (there is no context yet).
 */
typedef const ac_plugin_descriptor_t *(*ac_plugin_entry_fn)(
    const ac_host_api_t *host);

#if defined(__GNUC__) || defined(__clang__)
#define AC_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define AC_PLUGIN_EXPORT
#endif

/* The prototype every plugin defines (once), so the compiler checks the
 * definition against the contract. The host never calls it by name: it
 * resolves AC_PLUGIN_ENTRY_SYMBOL with dlsym. */
AC_PLUGIN_EXPORT const ac_plugin_descriptor_t *
ac_plugin_entry(const ac_host_api_t *host);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* AGENTCORE_PLUGIN_H */
