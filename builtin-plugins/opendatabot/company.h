/*
 * company.h — the deterministic company record of an EDRPOU code (internal).
 */
#ifndef OPENDATABOT_COMPANY_H
#define OPENDATABOT_COMPANY_H

#include "json_buffer.h"

/* Appends the JSON record of `code` (exactly eight ASCII digits, not
 * NUL-terminated):
 *   {"code","valid":true,"name","status","address","director","registrationDate"}
 * for a code that passes the control-digit check, or
 *   {"code","valid":false,"error":"checksum mismatch"}
 * for one that does not: an invalid code never gets an invented company.
 * The same code always gives the same bytes. */
ODB_INTERNAL void odb_write_company(odb_buffer *buffer, const char code[8]);

#endif /* OPENDATABOT_COMPANY_H */
