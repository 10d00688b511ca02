#ifndef AGENTCORE_PROCESS_CONTROL_H
#define AGENTCORE_PROCESS_CONTROL_H

/* Process controls Swift cannot call directly (prctl is variadic). */

/* Asks the kernel to send `signal` to this process when its parent dies
 * (prctl PR_SET_PDEATHSIG). Returns 0, or -1 with errno set. */
int ac_process_set_parent_death_signal(int signal);

#endif
