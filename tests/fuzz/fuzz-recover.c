/*
 * fuzz-recover.c - the recorder's crash recovery (iotap_rec_recover_file in
 * lib/record/recover.c): a segment cut off mid-frame is decoded up to its
 * last complete record and written out again. Input: [cut u16 BE] then the
 * pcap bytes, which this target compresses into one zstd frame (as the
 * recorder writes it) and cuts after `cut` compressed bytes (0xffff: not cut;
 * below 0x100 the bytes are used as the file as they are, not compressed).
 * The recovered segment must be one complete zstd frame holding exactly the
 * packets its sidecar counts.
 */
#include <zstd.h>
#include "fuzz.h"
#include "record/recint.h"

/* Packets of a complete one-frame .pcap.zst (the recovered segment), counted
 * by walking its little-endian records; -1 when the frame or a record is
 * incomplete. Independent of lib/capture.c on purpose: the reader's own
 * heuristics (an appended capture's header) must not hide a recovery bug. */
static long count_records(int fd)
{
    off_t end = lseek(fd, 0, SEEK_END);
    if (end <= 0 || end > (64 << 20))
        return -1;
    uint8_t *z = malloc((size_t)end);
    if (pread(fd, z, (size_t)end, 0) != end) {
        free(z);
        return -1;
    }
    ZSTD_DStream *ds = ZSTD_createDStream();
    size_t cap = 1 << 16, len = 0, r = 1;
    uint8_t *out = malloc(cap);
    ZSTD_inBuffer ib = { z, (size_t)end, 0 };
    while (r != 0 && !ZSTD_isError(r)) {
        if (len == cap) {
            if (cap >= (64u << 20))
                break;
            out = realloc(out, cap *= 2);
        }
        ZSTD_outBuffer ob = { out, cap, len };
        size_t before = ib.pos;
        r = ZSTD_decompressStream(ds, &ob, &ib);
        len = ob.pos;
        if (r != 0 && ib.pos == before && ob.pos < cap)
            break;      /* input used up, frame not finished */
    }
    long n = -1;
    if (r == 0 && ib.pos == ib.size && len >= 24) {
        size_t off = 24;
        n = 0;
        while (off + 16 <= len) {
            uint32_t caplen = (uint32_t)out[off + 8] | (uint32_t)out[off + 9] << 8
                              | (uint32_t)out[off + 10] << 16 | (uint32_t)out[off + 11] << 24;
            if (caplen > len - off - 16)
                break;
            off += 16 + caplen;
            n++;
        }
        if (off != len)
            n = -1;
    }
    ZSTD_freeDStream(ds);
    free(out);
    free(z);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint16_t cut = fz_u16(&in);
    size_t n;
    const uint8_t *pcap = fz_bytes(&in, fz_left(&in), &n);
    size_t zcap = ZSTD_compressBound(n), zlen = n;
    uint8_t *z = malloc(zcap ? zcap : 1);
    if (cut < 0x100) {
        if (n)
            memcpy(z, pcap, n);
    } else {
        zlen = ZSTD_compress(z, zcap, pcap, n, 1);
        if (ZSTD_isError(zlen))
            abort();
        if (cut != 0xffff && cut - 0x100u < zlen)
            zlen = cut - 0x100u;
    }
    char inpath[64], outpath[64];
    int infd = fz_file(z, zlen, inpath, sizeof inpath);
    int outfd = fz_file(NULL, 0, outpath, sizeof outpath);
    free(z);
    if (infd < 0 || outfd < 0)
        abort();
    int keep = dup(outfd);  /* recover_file closes outfd */
    iotap_sidecar sc;
    iotap_sidecar_init(&sc);
    if (iotap_rec_recover_file(inpath, outfd, 1, &sc) == 0) {
        long got = count_records(keep);
        if (got < 0 || (uint64_t)got != sc.packets) {
            fprintf(stderr, "recovered %llu packets, the segment holds %ld\n",
                    (unsigned long long)sc.packets, got);
            abort();
        }
    }
    close(keep);
    close(infd);
    return 0;
}
