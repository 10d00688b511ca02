#define _GNU_SOURCE
#include "process_control.h"

#include <spawn.h>
#include <sys/prctl.h>

int ac_process_set_parent_death_signal(int signal) {
  return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

int ac_spawn_actions_close_from(posix_spawn_file_actions_t *actions, int lowest) {
  return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}
