/*
 * json_buffer.h — a growable byte buffer that writes JSON text (internal).
 */
#ifndef OPENDATABOT_JSON_BUFFER_H
#define OPENDATABOT_JSON_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

/* Heap-allocated; `failed` records an allocation failure, after which every
 * append is a no-op (the caller checks it once, at the end). */
typedef struct odb_buffer {
  char *data;
  size_t length;
  size_t capacity;
  bool failed;
} odb_buffer;

#define ODB_INTERNAL __attribute__((visibility("hidden")))

ODB_INTERNAL void odb_buffer_append(odb_buffer *buffer, const char *bytes, size_t length);
/* Appends a NUL-terminated string as is. */
ODB_INTERNAL void odb_buffer_puts(odb_buffer *buffer, const char *text);
/* Appends a JSON string literal: quoted, with '"', '\\' and every control
 * character below 0x20 escaped (RFC 8259). Other bytes, UTF-8 included, are
 * copied unchanged. */
ODB_INTERNAL void odb_buffer_json_string(odb_buffer *buffer, const char *bytes, size_t length);
ODB_INTERNAL void odb_buffer_free(odb_buffer *buffer);

#endif /* OPENDATABOT_JSON_BUFFER_H */
