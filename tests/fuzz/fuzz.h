/*
 * fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each fuzz-NAME.c defines LLVMFuzzerTestOneInput() for one entry point of
 * lib/. The same file is built two ways: with clang -fsanitize=fuzzer by
 * tests/fuzz/run.sh (coverage-guided fuzzing), and with tests/fuzz/replay.c
 * by `make check` (every saved input in tests/fuzz/corpus/NAME/ is run
 * again by tests/e2e/fuzz-regress.sh, so a fixed crash stays fixed).
 *
 * Helpers:
 *   fz_*      a byte provider: fixed-size values taken from the front of the
 *             input (0 once it is used up), so a target can turn bytes into
 *             a sequence of operations;
 *   fz_file   the input as a file (a memfd, named /proc/self/fd/N) for the
 *             parts of lib/ that take file names.
 * Targets must be deterministic and free everything they allocate.
 */
#ifndef IOTAP_FUZZ_H
#define IOTAP_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fz {
    const uint8_t *p;
    size_t len, off;
} fz;

static inline fz fz_make(const uint8_t *p, size_t len)
{
    fz f = { p, len, 0 };
    return f;
}
static inline size_t fz_left(const fz *f) { return f->len - f->off; }
static inline uint8_t fz_u8(fz *f) { return f->off < f->len ? f->p[f->off++] : 0; }
static inline uint16_t fz_u16(fz *f)
{
    uint16_t v = fz_u8(f);
    return (uint16_t)(v << 8 | fz_u8(f));
}
static inline uint32_t fz_u32(fz *f)
{
    uint32_t v = fz_u16(f);
    return v << 16 | fz_u16(f);
}
/* Up to n bytes (fewer at the end); *got set. Points into the input. */
static inline const uint8_t *fz_bytes(fz *f, size_t n, size_t *got)
{
    if (n > fz_left(f))
        n = fz_left(f);
    const uint8_t *q = f->p + f->off;
    f->off += n;
    *got = n;
    return q;
}

/* A file holding the bytes, without touching the disk: path gets
 * "/proc/self/fd/N". Returns the fd (close it when done) or -1. */
static inline int fz_file(const uint8_t *p, size_t n, char *path, size_t pathlen)
{
    int fd = memfd_create("iotap-fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)w;
    }
    lseek(fd, 0, SEEK_SET);
    snprintf(path, pathlen, "/proc/self/fd/%d", fd);
    return fd;
}

/* The input as a NUL-terminated string (malloc'd; free it). */
static inline char *fz_strdup(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    if (n)
        memcpy(s, p, n);
    s[n] = '\0';
    return s;
}
#endif
