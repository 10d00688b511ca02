/* Breaks: its config schema is JSON but not a valid JSON Schema ("type": 12). */
#include "fixture.h"

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "bad-schema", .name = "Bad schema", .version = "1.0.0",
    .config_schema = "{\"type\":12}",
    .create = fx_create_stateless,
};
FX_ENTRY(descriptor)
