#ifndef AGENTCORE_PROCESS_CONTROL_H
#define AGENTCORE_PROCESS_CONTROL_H

#include <spawn.h>

/* Process controls Swift cannot call directly (prctl is variadic; the glibc
 * extension below is hidden from Swift's Glibc module). */

/* Asks the kernel to send `signal` to this process when its parent dies
 * (prctl PR_SET_PDEATHSIG). Returns 0, or -1 with errno set. */
int ac_process_set_parent_death_signal(int signal);

/* Adds "close every descriptor >= lowest" to `actions`
 * (posix_spawn_file_actions_addclosefrom_np, glibc 2.34+). Returns 0 or an
 * error number. Does not block; `actions` is owned by the caller. */
int ac_spawn_actions_close_from(posix_spawn_file_actions_t *actions, int lowest);

#endif
