// Compile-time checks that the ABI's layout is what the header promises on
// the platforms agentcore supports (LP64 Linux). A change that moves a field
// breaks every built plugin, so it must fail here first.
#include "agentcore_plugin.h"

_Static_assert(sizeof(ac_str_t) == 16, "ac_str_t is {ptr, len}");
_Static_assert(sizeof(ac_field_t) == 32, "ac_field_t is two ac_str_t");
_Static_assert(sizeof(ac_status_t) == 4, "ac_status_t is 32-bit");
_Static_assert(offsetof(ac_host_api_t, struct_size) == 0, "size first");
_Static_assert(offsetof(ac_plugin_descriptor_t, struct_size) == 0, "size first");
_Static_assert(offsetof(ac_tool_t, struct_size) == 0, "size first");
_Static_assert(offsetof(ac_plugin_descriptor_t, id) == 8, "1.0 layout");
_Static_assert(offsetof(ac_host_api_t, call_set_output) == 8, "1.0 layout");
_Static_assert(sizeof(ac_host_api_t) == 8 + 11 * sizeof(void *), "1.0 table");

/// The ABI version this copy of the SDK was built with, for diagnostics.
int ac_sdk_abi_version(void) {
  return AC_ABI_VERSION_MAJOR * 1000 + AC_ABI_VERSION_MINOR;
}
