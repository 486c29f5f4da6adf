/*
 * fuzz-tls.c - the TLS ClientHello parser (lib/proto/tls.c) through its three
 * entry points: a TCP client's first bytes (records), bare handshake
 * messages (as QUIC carries them) and one ClientHello body. Every prefix of
 * a stream that ends DONE must not be DONE with a different answer.
 */
#include "fuzz.h"
#include "proto/tls.h"

static void check(const iotap_tls_hello *h)
{
    size_t n = strnlen(h->sni, sizeof h->sni);
    if (n >= sizeof h->sni || strnlen(h->alpn, sizeof h->alpn) >= sizeof h->alpn)
        abort();
    for (size_t i = 0; i < n; i++)
        if (h->sni[i] <= 0x20 || h->sni[i] > 0x7e || (h->sni[i] >= 'A' && h->sni[i] <= 'Z'))
            abort();
    (void)iotap_tls_version_name(h->version);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotap_tls_hello h;
    const char *err = NULL;
    int r = iotap_tls_client_stream(data, size, &h, &err);
    if (r == IOTAP_TLS_DONE) {
        check(&h);
        /* Feeding the stream in two parts: the first part alone must not
         * already give a different final answer. */
        iotap_tls_hello h2;
        if (iotap_tls_client_stream(data, size / 2, &h2, &err) == IOTAP_TLS_DONE
            && strcmp(h.sni, h2.sni) != 0)
            abort();
    }
    if (iotap_tls_handshake_stream(data, size, &h, &err) == IOTAP_TLS_DONE)
        check(&h);
    if (iotap_tls_client_hello(data, size, &h, &err) == IOTAP_TLS_DONE)
        check(&h);
    return 0;
}
