/*
 * cursor.h - a bounded reader over untrusted bytes (tcpdump's GET_U_1 and
 * ND_TCHECK habit). Every protocol parser reads packet bytes only through a
 * cursor: a read past the end returns 0, sets `err`, and never touches memory
 * outside [p, p+len). Parsers check `err` once after a group of reads.
 */
#ifndef IOTAP_CURSOR_H
#define IOTAP_CURSOR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct iotap_cursor {
    const uint8_t *p;   /* first byte */
    size_t len;         /* bytes readable from p */
    size_t off;         /* next byte to read */
    bool err;           /* a read went past len */
} iotap_cursor;

static inline iotap_cursor cur_make(const uint8_t *p, size_t len)
{
    iotap_cursor c = { p, p ? len : 0, 0, false };
    return c;
}
static inline size_t cur_left(const iotap_cursor *c) { return c->off <= c->len ? c->len - c->off : 0; }
static inline bool cur_has(const iotap_cursor *c, size_t n) { return !c->err && cur_left(c) >= n; }
static inline const uint8_t *cur_ptr(const iotap_cursor *c) { return c->p + c->off; }

/* Returns a pointer to n readable bytes and advances, or NULL (and err). */
static inline const uint8_t *cur_take(iotap_cursor *c, size_t n)
{
    if (!cur_has(c, n)) { c->err = true; c->off = c->len; return NULL; }
    const uint8_t *q = c->p + c->off;
    c->off += n;
    return q;
}
static inline bool cur_skip(iotap_cursor *c, size_t n) { return cur_take(c, n) != NULL; }
static inline uint8_t cur_u8(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 1);
    return q ? q[0] : 0;
}
static inline uint16_t cur_u16be(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 2);
    return q ? (uint16_t)(q[0] << 8 | q[1]) : 0;
}
static inline uint32_t cur_u24be(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 3);
    return q ? (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2] : 0;
}
static inline uint32_t cur_u32be(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 4);
    return q ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3] : 0;
}
static inline uint16_t cur_u16le(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 2);
    return q ? (uint16_t)(q[1] << 8 | q[0]) : 0;
}
static inline uint32_t cur_u32le(iotap_cursor *c)
{
    const uint8_t *q = cur_take(c, 4);
    return q ? (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0] : 0;
}
/* A sub-cursor over the next n bytes (advances this one past them). On a
 * short read the sub-cursor is empty with err set. */
static inline iotap_cursor cur_sub(iotap_cursor *c, size_t n)
{
    const uint8_t *q = cur_take(c, n);
    iotap_cursor s = cur_make(q, q ? n : 0);
    s.err = q == NULL;
    return s;
}
#endif
