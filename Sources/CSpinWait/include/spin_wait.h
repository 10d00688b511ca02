#ifndef AGENTCORE_SPIN_WAIT_H
#define AGENTCORE_SPIN_WAIT_H

/* The CPU's spin-loop hint (x86 `pause`, arm64 `yield`), which Swift cannot emit.
 * Busy-wait loops call it between polls: it saves power and gives the core's sibling
 * hardware thread its share while one thread waits for another. Never blocks. */
void ac_spin_pause(void);

#endif
