/*
 * opendatabot.h — the EDRPOU functions of the opendatabot built-in, for reuse.
 *
 * EDRPOU (ЄДРПОУ) is the 8-digit code of a legal entity in Ukraine's Unified
 * State Register; its last digit is a control digit (see edrpou.c for the
 * algorithm and its sources). The plugin itself is reached only through
 * ac_plugin_entry (agentcore_plugin.h).
 */
#ifndef OPENDATABOT_H
#define OPENDATABOT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The control digit (0...9) of the code whose first seven digits are
 * `first_seven` (0...9999999, leading zeros implied), or -1 when it is out of
 * that range. Pure; thread-safe. */
int32_t odb_edrpou_check_digit(int64_t first_seven);

/* True when `code` is exactly eight ASCII digits, NUL-terminated, whose last
 * digit is the control digit of the first seven. NULL is not valid. Pure;
 * thread-safe. */
bool odb_edrpou_is_valid(const char *code);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPENDATABOT_H */
