/*
 * fuzz-hello.c - the first-bytes collector (lib/hello.c): TCP segments of a
 * client in any order, with overlaps and retransmissions, until a TLS
 * ClientHello or HTTP request head is complete. Input: [cap u8] then
 * segments [flags u8][seq offset u16 BE][len u8][bytes]; the whole input is
 * also given to iotap_http_request_head() and to a bare iotap_hbuf.
 */
#include "fuzz.h"
#include "hello.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotap_hello_info info;
    (void)iotap_http_request_head(data, size, &info);

    fz in = fz_make(data, size);
    uint8_t capsel = fz_u8(&in);
    size_t cap = capsel & 0x80 ? 0 : (size_t)capsel * 64;   /* 0 = default */
    iotap_hello *h = iotap_hello_new(cap);
    iotap_hbuf hb;
    iotap_hbuf_init(&hb, 4096);
    const uint32_t isn = 0xfffff000u;   /* the sequence space wraps early */
    int r = IOTAP_HELLO_MORE;
    while (fz_left(&in) >= 4) {
        uint8_t flags = fz_u8(&in);
        uint32_t off = fz_u16(&in);
        size_t want = fz_u8(&in), got;
        const uint8_t *bytes = fz_bytes(&in, want, &got);
        uint8_t *copy = malloc(got ? got : 1);
        if (got)
            memcpy(copy, bytes, got);
        r = iotap_hello_segment(h, flags, isn + off, got ? copy : NULL, got, &info);
        (void)iotap_hbuf_add(&hb, off, copy, got);
        if (hb.contig > hb.alloc || hb.alloc > hb.cap)
            abort();
        free(copy);
    }
    if (r != IOTAP_HELLO_DONE)
        iotap_hello_finish(h, &info);
    if (info.kind == IOTAP_HELLO_HTTP
        && (strnlen(info.http_method, sizeof info.http_method) >= sizeof info.http_method
            || strnlen(info.http_host, sizeof info.http_host) >= sizeof info.http_host))
        abort();
    iotap_hello_free(h);
    iotap_hbuf_free(&hb);
    return 0;
}
