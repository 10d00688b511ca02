/* Typed tools called through libffi, plus one JSON tool. Counts every typed call so the
 * tests can prove a refused input never reached the function. */
#include "fixture.h"
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static atomic_long typed_calls;

/* repeat(text, count) -> text repeated count times (malloc'd, freed by free_result). */
static char *repeat(const char *text, int64_t count) {
  atomic_fetch_add(&typed_calls, 1);
  size_t len = strlen(text);
  char *result = malloc(len * (size_t)(count > 0 ? count : 0) + 1);
  result[0] = 0;
  for (int64_t i = 0; i < count; i++) memcpy(result + (size_t)i * len, text, len + 1);
  return result;
}

static void free_result(char *result) { free(result); }

/* add(a, b) -> a + b */
static int64_t add(int64_t a, int32_t b) {
  atomic_fetch_add(&typed_calls, 1);
  return a + b;
}

/* is_positive(x) -> x > 0 */
static bool is_positive(double x) {
  atomic_fetch_add(&typed_calls, 1);
  return x > 0;
}

/* half(x) -> x / 2 */
static double half(double x) {
  atomic_fetch_add(&typed_calls, 1);
  return x / 2;
}

/* calls() -> how many typed calls ran before this one */
static int64_t calls(void) { return atomic_load(&typed_calls); }

static const ac_param_t repeat_params[] = {
    {"text", AC_TYPE_STRING, "the text to repeat"},
    {"count", AC_TYPE_INT64, "how many times"},
};
static const ac_param_t add_params[] = {
    {"a", AC_TYPE_INT64, NULL},
    {"b", AC_TYPE_INT32, NULL},
};
static const ac_param_t double_params[] = {{"x", AC_TYPE_DOUBLE, NULL}};

static const ac_tool_t repeat_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "repeat", .description = "repeats a text",
    .kind = AC_TOOL_TYPED, .typed_fn = (void (*)(void))repeat,
    .params = repeat_params, .param_count = 2,
    .result_type = AC_TYPE_STRING, .free_string_result = free_result,
};
static const ac_tool_t add_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "add", .description = "adds two integers",
    .kind = AC_TOOL_TYPED, .typed_fn = (void (*)(void))add,
    .params = add_params, .param_count = 2, .result_type = AC_TYPE_INT64,
};
static const ac_tool_t is_positive_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "is_positive", .description = "x > 0",
    .kind = AC_TOOL_TYPED, .typed_fn = (void (*)(void))is_positive,
    .params = double_params, .param_count = 1, .result_type = AC_TYPE_BOOL,
};
static const ac_tool_t half_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "half", .description = "x / 2",
    .kind = AC_TOOL_TYPED, .typed_fn = (void (*)(void))half,
    .params = double_params, .param_count = 1, .result_type = AC_TYPE_DOUBLE,
};
static const ac_tool_t calls_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "calls", .description = "typed calls so far",
    .kind = AC_TOOL_TYPED, .typed_fn = (void (*)(void))calls,
    .params = NULL, .param_count = 0, .result_type = AC_TYPE_INT64,
};
static const ac_tool_t echo_tool = {
    .struct_size = sizeof(ac_tool_t), .name = "echo", .description = "echoes its input",
    .input_schema = "{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}},"
                    "\"required\":[\"message\"]}",
    .kind = AC_TOOL_JSON,
};

static const ac_tool_t *const tools[] = {&repeat_tool, &add_tool, &is_positive_tool,
                                         &half_tool, &calls_tool, &echo_tool};

static ac_status_t invoke(ac_instance_t *instance, ac_str_t name, ac_str_t input, ac_call_t *call) {
  (void)instance;
  if (name.len == 4 && memcmp(name.ptr, "echo", 4) == 0) {
    host->call_set_output(call, input);
    return AC_OK;
  }
  fx_error(call, "unknown tool");
  return AC_ERR_NOT_FOUND;
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "typed-tools", .name = "Typed tools", .version = "1.0.0",
    .capabilities = AC_CAP_TOOLS,
    .create = fx_create_stateless,
    .tools = tools,
    .tool_count = sizeof tools / sizeof tools[0],
    .on_tool_invoke = invoke,
};
FX_ENTRY(descriptor)
