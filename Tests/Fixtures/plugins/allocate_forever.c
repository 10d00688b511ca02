/* Exhausts memory: every agent_query call allocates and touches 16 MiB chunks until malloc
 * returns NULL (under the child's RLIMIT_AS), then writes through that NULL pointer (SIGSEGV). */
#include "fixture.h"
#include <stdlib.h>

#define CHUNK_SIZE ((size_t)16 << 20)

/* The newest chunk; each chunk starts with a pointer to the one before, so every chunk stays
 * reachable and the compiler cannot drop the allocations. */
static void *volatile newest;

static ac_status_t query(ac_instance_t *instance, ac_str_t text, ac_call_t *call) {
  (void)instance; (void)text; (void)call;
  for (;;) {
    char *volatile chunk = malloc(CHUNK_SIZE);
    if (chunk == NULL) {
      volatile char *volatile nowhere = chunk;
      *nowhere = 1;
      return AC_ERROR;
    }
    memset(chunk, 0xAB, CHUNK_SIZE);
    *(void **)chunk = newest;
    newest = chunk;
  }
}

static const ac_plugin_descriptor_t descriptor = {
    FX_DESCRIPTOR_HEADER,
    .id = "allocate-forever", .name = "Allocate forever", .version = "1.0.0",
    .capabilities = AC_CAP_AGENT_QUERY,
    .create = fx_create_stateless,
    .on_agent_query = query,
};
FX_ENTRY(descriptor)
