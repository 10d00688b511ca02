/*
 * json_buffer.c — see json_buffer.h.
 */
#include "json_buffer.h"

#include <stdlib.h>
#include <string.h>

void odb_buffer_append(odb_buffer *buffer, const char *bytes, size_t length) {
  if (buffer->failed || length == 0) return;
  if (buffer->length + length > buffer->capacity) {
    size_t capacity = buffer->capacity ? buffer->capacity : 256;
    while (capacity < buffer->length + length) capacity *= 2;
    char *grown = realloc(buffer->data, capacity);
    if (grown == NULL) {
      buffer->failed = true;
      return;
    }
    buffer->data = grown;
    buffer->capacity = capacity;
  }
  memcpy(buffer->data + buffer->length, bytes, length);
  buffer->length += length;
}

void odb_buffer_puts(odb_buffer *buffer, const char *text) {
  odb_buffer_append(buffer, text, strlen(text));
}

void odb_buffer_json_string(odb_buffer *buffer, const char *bytes, size_t length) {
  static const char hex[] = "0123456789abcdef";
  odb_buffer_append(buffer, "\"", 1);
  size_t run = 0; /* start of the current run of bytes needing no escape */
  for (size_t i = 0; i < length; i++) {
    unsigned char byte = (unsigned char)bytes[i];
    const char *escape = NULL;
    char unicode[6];
    switch (byte) {
    case '"': escape = "\\\""; break;
    case '\\': escape = "\\\\"; break;
    case '\n': escape = "\\n"; break;
    case '\r': escape = "\\r"; break;
    case '\t': escape = "\\t"; break;
    case '\b': escape = "\\b"; break;
    case '\f': escape = "\\f"; break;
    default:
      if (byte < 0x20) {
        unicode[0] = '\\';
        unicode[1] = 'u';
        unicode[2] = '0';
        unicode[3] = '0';
        unicode[4] = hex[byte >> 4];
        unicode[5] = hex[byte & 0x0F];
      }
      break;
    }
    if (escape == NULL && byte >= 0x20) continue;
    odb_buffer_append(buffer, bytes + run, i - run);
    if (escape != NULL) {
      odb_buffer_puts(buffer, escape);
    } else {
      odb_buffer_append(buffer, unicode, sizeof unicode);
    }
    run = i + 1;
  }
  odb_buffer_append(buffer, bytes + run, length - run);
  odb_buffer_append(buffer, "\"", 1);
}

void odb_buffer_free(odb_buffer *buffer) {
  free(buffer->data);
  buffer->data = NULL;
  buffer->length = buffer->capacity = 0;
}
