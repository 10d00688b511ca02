/* Breaks: exports no ac_plugin_entry symbol. */
#include "agentcore_plugin.h"

AC_PLUGIN_EXPORT int not_the_entry(void) { return 42; }
