/* Breaks: declares agent_query but leaves on_agent_query NULL. */
#include "fixture.h"

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "cap-without-hook", .name = "Capability without hook", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
};
FX_ENTRY(descriptor)
