/* Breaks: built for ABI minor 7 of the current major, newer than the host. */
#include "fixture.h"

static const ac_plugin_descriptor_t descriptor = {
    .struct_size = sizeof(ac_plugin_descriptor_t),
    .abi_major = AC_ABI_VERSION_MAJOR, .abi_minor = AC_ABI_VERSION_MINOR + 7,
    .id = "abi-too-new", .name = "ABI too new", .version = "1.0.0",
    .create = fx_create_stateless,
};
FX_ENTRY(descriptor)
