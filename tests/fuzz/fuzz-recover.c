/*
 * fuzz-recover.c - the recorder's crash recovery (iotap_rec_recover_file in
 * lib/record/recover.c): a segment cut off mid-frame is decoded up to its
 * last complete record and written out again. Input: [cut u16 BE] then the
 * pcap bytes, which this target compresses into one zstd frame (as the
 * recorder writes it) and cuts after `cut` compressed bytes (0xffff: not cut;
 * below 0x100 the bytes are used as the file as they are, not compressed).
 * The recovered segment must read back with as many packets as claimed.
 */
#include <zstd.h>
#include "fuzz.h"
#include "capture.h"
#include "record/recint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz in = fz_make(data, size);
    uint16_t cut = fz_u16(&in);
    size_t n;
    const uint8_t *pcap = fz_bytes(&in, fz_left(&in), &n);
    size_t zcap = ZSTD_compressBound(n), zlen = n;
    uint8_t *z = malloc(zcap ? zcap : 1);
    if (cut < 0x100) {
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
    snprintf(outpath, sizeof outpath, "/proc/self/fd/%d", keep);
    iotap_sidecar sc;
    iotap_sidecar_init(&sc);
    if (iotap_rec_recover_file(inpath, outfd, 1, &sc) == 0) {
        const char *inputs[] = { outpath };
        iotap_reader *r = iotap_reader_open(inputs, 1);
        iotap_packet p;
        uint64_t got = 0;
        while (iotap_reader_next(r, &p) == 1)
            got++;
        if (got != sc.packets || iotap_reader_damaged(r)) {
            fprintf(stderr, "recovered %llu packets, read back %llu (%u problems)\n",
                    (unsigned long long)sc.packets, (unsigned long long)got,
                    iotap_reader_damaged(r));
            abort();
        }
        iotap_reader_close(r);
    }
    close(keep);
    close(infd);
    return 0;
}
