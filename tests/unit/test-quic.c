/*
 * test-quic.c - lib/proto/quic: RFC 9001 Appendix A (Initial keys for both
 * sides, the client Initial packet of A.2 decrypted to its ClientHello with
 * SNI example.com), RFC 9369 Appendix A keys for QUIC v2, a ClientHello
 * spread over several Initial packets and datagrams delivered out of order
 * (packets built here with libcrypto), damaged and cut packets, and the
 * corpus QUIC captures compared with tshark's SNIs.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "decode.h"
#include "pcapwalk.h"
#include "proto/quic.h"
#include "test.h"
#include "tlsbuild.h"
#include "util.h"

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; h[0] && h[1] && n < cap; h += 2) {
        unsigned v;
        if (sscanf(h, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void check_hex(const uint8_t *got, size_t n, const char *want)
{
    uint8_t w[64];
    size_t wn = unhex(want, w, sizeof w);
    CHECK_EQ_U(wn, n);
    CHECK(memcmp(got, w, n) == 0);
}

static const uint8_t rfc_dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};

static void test_keys(void)
{
    iotap_quic_keys k;
    /* RFC 9001 A.1 */
    CHECK(iotap_quic_initial_keys(IOTAP_QUIC_V1, rfc_dcid, 8, false, &k) == 0);
    check_hex(k.key, 16, "1f369613dd76d5467730efcbe3b1a22d");
    check_hex(k.iv, 12, "fa044b2f42a3fd3b46fb255c");
    check_hex(k.hp, 16, "9f50449e04a0e810283a1e9933adedd2");
    CHECK(iotap_quic_initial_keys(IOTAP_QUIC_V1, rfc_dcid, 8, true, &k) == 0);
    check_hex(k.key, 16, "cf3a5331653c364c88f0f379b6067e37");
    check_hex(k.iv, 12, "0ac1493ca1905853b0bba03e");
    check_hex(k.hp, 16, "c206b8d9b9f0f37644430b490eeaa314");
    /* RFC 9369 A.1 */
    CHECK(iotap_quic_initial_keys(IOTAP_QUIC_V2, rfc_dcid, 8, false, &k) == 0);
    check_hex(k.key, 16, "8b1a0bc121284290a29e0971b5cd045d");
    check_hex(k.iv, 12, "91f73e2351d8fa91660e909f");
    check_hex(k.hp, 16, "45b95e15235d6f45a6b19cbcb0294ba9");
    CHECK(iotap_quic_initial_keys(0xff00001d, rfc_dcid, 8, false, &k) != 0);
}

/* RFC 9001 A.2: the protected client Initial (1200 bytes). */
static const char rfc_packet[] =
    "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f3991c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df621230c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c2084dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f89937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c7468449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663ac69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe5896425c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ffef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009ddc324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77fcb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450efc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03adea2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e72404790a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f440591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca06948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f0940054da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd46840647e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241e221af44860018ab0856972e194cd934";

/* The start of its plaintext (RFC 9001 A.2): a CRYPTO frame at offset 0,
 * 241 bytes, holding the ClientHello. */
static const char rfc_plain[] =
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
    "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
    "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
    "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
    "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
    "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
    "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
    "75300901100f088394c8f03e51570806048000ffff";

static void test_rfc_packet(void)
{
    uint8_t pkt[1300], plain[1300], want[400];
    size_t n = unhex(rfc_packet, pkt, sizeof pkt);
    CHECK_EQ_U(n, 1200);
    size_t wn = unhex(rfc_plain, want, sizeof want);
    CHECK(iotap_quic_is_initial(pkt, n));
    size_t outlen = 0;
    uint64_t pn = 99;
    uint32_t ver = 0;
    const char *err = NULL;
    CHECK_EQ_U(iotap_quic_decrypt_initial(pkt, n, false, plain, &outlen, &pn, &ver, &err), 1200);
    CHECK(err == NULL);
    CHECK_EQ_U(pn, 2);
    CHECK_EQ_U(ver, IOTAP_QUIC_V1);
    CHECK_EQ_U(outlen, 1182 - 4 - 16);
    CHECK(memcmp(plain, want, wn) == 0);
    for (size_t i = wn; i < outlen; i++)    /* the rest is PADDING */
        if (plain[i] != 0) { CHECK(plain[i] == 0); break; }
    /* With the server's keys it does not decrypt. */
    CHECK_EQ_U(iotap_quic_decrypt_initial(pkt, n, true, plain, &outlen, &pn, &ver, &err), 0);
    CHECK(err != NULL);

    /* Through the per-flow state: the SNI. */
    iotap_quic *q = iotap_quic_new();
    CHECK_EQ_I(iotap_quic_datagram(q, pkt, n, &err), IOTAP_QUIC_DONE);
    CHECK(err == NULL);
    CHECK_STR(iotap_quic_hello(q)->sni, "example.com");
    CHECK_STR(iotap_quic_hello(q)->alpn, "alpn");
    CHECK_EQ_U(iotap_quic_hello(q)->version, 0x0304);
    CHECK_EQ_U(iotap_quic_version(q), IOTAP_QUIC_V1);
    iotap_quic_free(q);

    /* One flipped ciphertext bit: the tag fails, nothing is parsed. */
    pkt[600] ^= 1;
    CHECK_EQ_U(iotap_quic_decrypt_initial(pkt, n, false, plain, &outlen, &pn, &ver, &err), 0);
    q = iotap_quic_new();
    CHECK_EQ_I(iotap_quic_datagram(q, pkt, n, &err), IOTAP_QUIC_MORE);
    CHECK(err != NULL);
    iotap_quic_free(q);
    pkt[600] ^= 1;
    /* Every cut of the packet fails cleanly (the Length field then lies). */
    for (size_t cut = 0; cut < n; cut += 7) {
        uint8_t *h = malloc(cut ? cut : 1);
        memcpy(h, pkt, cut);
        CHECK_EQ_U(iotap_quic_decrypt_initial(h, cut, false, plain, &outlen, &pn, &ver, &err), 0);
        free(h);
    }
    /* Not QUIC: short header, unknown version. */
    CHECK(!iotap_quic_is_initial((const uint8_t *)"\x40\x00\x00\x00\x01", 5));
    CHECK(!iotap_quic_is_initial((const uint8_t *)"\xc0\xff\x00\x00\x1d", 5));
    CHECK(!iotap_quic_is_initial(NULL, 0));
}

/* ---- building protected Initials (the sender's side of RFC 9001 5) ---- */

static size_t put_varint(uint8_t *p, uint64_t v)
{
    if (v < 64) { p[0] = (uint8_t)v; return 1; }
    if (v < 16384) { p[0] = (uint8_t)(0x40 | v >> 8); p[1] = (uint8_t)v; return 2; }
    p[0] = (uint8_t)(0x80 | v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
    return 4;
}

/* One client Initial with packet number pn holding the given frames,
 * padded; returns its size. */
static size_t build_initial(uint32_t version, const uint8_t *dcid, size_t dl, uint32_t pn,
                            const uint8_t *frames, size_t fl, uint8_t *out)
{
    iotap_quic_keys k;
    iotap_quic_initial_keys(version, dcid, dl, false, &k);
    uint8_t plain[1500];
    memcpy(plain, frames, fl);
    size_t pl = fl < 100 ? 100 : fl;            /* room for the sample */
    memset(plain + fl, 0, pl - fl);
    size_t n = 0;
    uint8_t type = version == IOTAP_QUIC_V2 ? 1 : 0;
    out[n++] = (uint8_t)(0xc0 | type << 4 | 3);         /* 4-byte packet number */
    out[n++] = (uint8_t)(version >> 24); out[n++] = (uint8_t)(version >> 16);
    out[n++] = (uint8_t)(version >> 8); out[n++] = (uint8_t)version;
    out[n++] = (uint8_t)dl; memcpy(out + n, dcid, dl); n += dl;
    out[n++] = 0;                                       /* no SCID */
    out[n++] = 0;                                       /* no token */
    n += put_varint(out + n, 4 + pl + 16);
    size_t pn_off = n;
    out[n++] = (uint8_t)(pn >> 24); out[n++] = (uint8_t)(pn >> 16);
    out[n++] = (uint8_t)(pn >> 8); out[n++] = (uint8_t)pn;
    uint8_t nonce[12];
    memcpy(nonce, k.iv, 12);
    for (int i = 0; i < 4; i++) nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int len = 0;
    EVP_EncryptInit_ex(x, EVP_aes_128_gcm(), NULL, NULL, NULL);
    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
    EVP_EncryptInit_ex(x, NULL, NULL, k.key, nonce);
    EVP_EncryptUpdate(x, NULL, &len, out, (int)n);
    EVP_EncryptUpdate(x, out + n, &len, plain, (int)pl);
    EVP_EncryptFinal_ex(x, out + n + pl, &len);
    EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, out + n + pl);
    EVP_CIPHER_CTX_free(x);
    n += pl + 16;
    uint8_t mask[16];
    x = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(x, EVP_aes_128_ecb(), NULL, k.hp, NULL);
    EVP_CIPHER_CTX_set_padding(x, 0);
    EVP_EncryptUpdate(x, mask, &len, out + pn_off + 4, 16);
    EVP_CIPHER_CTX_free(x);
    out[0] ^= mask[0] & 0x0f;
    for (int i = 0; i < 4; i++) out[pn_off + i] ^= mask[1 + i];
    return n;
}

static size_t crypto_frame(uint8_t *out, uint64_t off, const uint8_t *d, size_t n)
{
    size_t k = 0;
    out[k++] = 0x06;
    k += put_varint(out + k, off);
    k += put_varint(out + k, n);
    memcpy(out + k, d, n);
    return k + n;
}

static void test_fragmented(void)
{
    tb hs = { .n = 0 };
    tb_client_hello(&hs, "frag.example.net", "h3", 1, 2500);    /* ~2.7 KB hello */
    CHECK(hs.n > 2600);
    static const uint8_t dcid[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    for (int v = 0; v < 2; v++) {
        uint32_t version = v ? IOTAP_QUIC_V2 : IOTAP_QUIC_V1;
        /* Three pieces; the middle one in a PING+ACK+CRYPTO packet; sent
         * as: piece 3, piece 1, piece 1 again (retransmission), piece 2. */
        size_t cut1 = 1000, cut2 = 2000;
        uint8_t f[3][1400], d[4][1500];
        size_t fl[3], dl[4];
        fl[0] = crypto_frame(f[0], 0, hs.b, cut1);
        f[1][0] = 0x01;                                         /* PING */
        f[1][1] = 0x02; f[1][2] = 0; f[1][3] = 0; f[1][4] = 0; f[1][5] = 0;   /* ACK */
        fl[1] = 6 + crypto_frame(f[1] + 6, cut1, hs.b + cut1, cut2 - cut1);
        fl[2] = crypto_frame(f[2], cut2, hs.b + cut2, hs.n - cut2);
        dl[0] = build_initial(version, dcid, 12, 2, f[2], fl[2], d[0]);
        dl[1] = build_initial(version, dcid, 12, 0, f[0], fl[0], d[1]);
        memcpy(d[2], d[1], dl[1]);
        dl[2] = dl[1];
        dl[3] = build_initial(version, dcid, 12, 1, f[1], fl[1], d[3]);
        iotap_quic *q = iotap_quic_new();
        const char *err = NULL;
        for (int i = 0; i < 3; i++) {
            CHECK_EQ_I(iotap_quic_datagram(q, d[i], dl[i], &err), IOTAP_QUIC_MORE);
            CHECK(err == NULL);
        }
        CHECK_EQ_I(iotap_quic_datagram(q, d[3], dl[3], &err), IOTAP_QUIC_DONE);
        CHECK_STR(iotap_quic_hello(q)->sni, "frag.example.net");
        CHECK_STR(iotap_quic_hello(q)->alpn, "h3");
        CHECK_EQ_U(iotap_quic_version(q), version);
        iotap_quic_free(q);

        /* Two packets coalesced into one datagram. */
        uint8_t both[3000];
        memcpy(both, d[1], dl[1]);
        memcpy(both + dl[1], d[3], dl[3]);
        q = iotap_quic_new();
        CHECK_EQ_I(iotap_quic_datagram(q, both, dl[1] + dl[3], &err), IOTAP_QUIC_MORE);
        CHECK_EQ_I(iotap_quic_datagram(q, d[0], dl[0], &err), IOTAP_QUIC_DONE);
        CHECK_STR(iotap_quic_hello(q)->sni, "frag.example.net");
        iotap_quic_free(q);

        /* The last piece never comes: given up after the datagram cap. */
        q = iotap_quic_new();
        int r = IOTAP_QUIC_MORE, i;
        for (i = 0; i < 100 && r == IOTAP_QUIC_MORE; i++)
            r = iotap_quic_datagram(q, d[1], dl[1], &err);
        CHECK_EQ_I(i, IOTAP_QUIC_MAX_DATAGRAMS);
        CHECK(err != NULL);
        CHECK_STR(iotap_quic_hello(q)->sni, "");
        iotap_quic_free(q);
    }
    /* A frame not allowed in an Initial (STREAM) is reported. */
    uint8_t bad[] = {0x08, 0x00, 0x01, 0x02};
    uint8_t d[1500];
    size_t dl = build_initial(IOTAP_QUIC_V1, dcid, 12, 0, bad, sizeof bad, d);
    iotap_quic *q = iotap_quic_new();
    const char *err = NULL;
    CHECK_EQ_I(iotap_quic_datagram(q, d, dl, &err), IOTAP_QUIC_MORE);
    CHECK(err != NULL);
    iotap_quic_free(q);
    /* CRYPTO frame claiming more bytes than the packet holds. */
    uint8_t lie[] = {0x06, 0x00, 0x44, 0x00, 1, 2, 3};
    dl = build_initial(IOTAP_QUIC_V1, dcid, 12, 0, lie, sizeof lie, d);
    q = iotap_quic_new();
    CHECK_EQ_I(iotap_quic_datagram(q, d, dl, &err), IOTAP_QUIC_MORE);
    CHECK(err != NULL);
    iotap_quic_free(q);
    /* CRYPTO data beyond the buffer cap is dropped, never written. */
    uint8_t far[16];
    size_t k = 0;
    far[k++] = 0x06;
    k += put_varint(far + k, 1u << 20);
    k += put_varint(far + k, 4);
    memcpy(far + k, "abcd", 4);
    k += 4;
    dl = build_initial(IOTAP_QUIC_V1, dcid, 12, 0, far, k, d);
    q = iotap_quic_new();
    CHECK_EQ_I(iotap_quic_datagram(q, d, dl, &err), IOTAP_QUIC_MORE);
    CHECK(err == NULL);
    iotap_quic_free(q);
}

/* ---- corpus against tshark ---- */

typedef struct qflow {
    iotap_addr src, dst;
    uint16_t sport, dport;
    iotap_quic *q;
    bool done, notquic;
} qflow;

typedef struct found { unsigned long frame; char sni[256]; } found;

static size_t walk(const char *path, found *out, size_t max)
{
    qflow fl[256];
    size_t nfl = 0, nout = 0;
    const char *in[1] = { path };
    iotap_reader *r = iotap_reader_open(in, 1);
    iotap_packet p;
    while (iotap_reader_next(r, &p)) {
        iotap_decoded d;
        if (iotap_decode(&p, &d) != 0 || !d.has_l4 || d.proto != 17 || d.frag)
            continue;
        qflow *f = NULL;
        for (size_t i = 0; i < nfl; i++)
            if (fl[i].sport == d.sport && fl[i].dport == d.dport &&
                memcmp(&fl[i].src, &d.src, sizeof d.src) == 0 &&
                memcmp(&fl[i].dst, &d.dst, sizeof d.dst) == 0)
                f = &fl[i];
        if (!f) {
            if (nfl == sizeof fl / sizeof *fl)
                continue;
            f = &fl[nfl++];
            memset(f, 0, sizeof *f);
            f->src = d.src;
            f->dst = d.dst;
            f->sport = d.sport;
            f->dport = d.dport;
        }
        if (f->done || f->notquic)
            continue;
        if (!f->q) {
            if (!iotap_quic_is_initial(d.payload, d.payload_caplen)) {
                f->notquic = true;
                continue;
            }
            f->q = iotap_quic_new();
        }
        if (iotap_quic_datagram(f->q, d.payload, d.payload_caplen, NULL) == IOTAP_QUIC_DONE) {
            f->done = true;
            const iotap_tls_hello *h = iotap_quic_hello(f->q);
            if (h->legacy_version && nout < max) {
                out[nout].frame = (unsigned long)p.num;
                snprintf(out[nout].sni, sizeof out[nout].sni, "%s", h->sni);
                nout++;
            }
        }
    }
    iotap_reader_close(r);
    for (size_t i = 0; i < nfl; i++)
        iotap_quic_free(fl[i].q);
    return nout;
}

static void test_quic_corpus(void)
{
    const char *corpus = test_corpus();
    if (!corpus || !pw_have_tshark()) {
        fprintf(stderr, "corpus part skipped: no corpus or no tshark\n");
        return;
    }
    static const char *files[] = {
        "zeek/testing/btest/Traces/quic/383379789-decrypt-crash.pcap",
        "zeek/testing/btest/Traces/quic/chromium-115.0.5790.110-api-cirrus-com.pcap",
        "zeek/testing/btest/Traces/quic/curl-8.1.2-dev-http3-www-google-de.pcap",
        "zeek/testing/btest/Traces/quic/quic-39264-rand.pcap",
        "zeek/testing/btest/Traces/quic/quic-multiple-initial-fragmented-crypto-only-initial.pcap",
        "zeek/testing/btest/Traces/quic/quic-multiple-initial-fragmented-crypto.pcap",
        "zeek/testing/btest/Traces/quic/quicv2-echo-443.pcap",
        "zeek/testing/btest/Traces/quic/quicv2-http3-443.pcap",
        "zeek/testing/btest/Traces/quic/vector-max-size-crash.pcap",
        "suricata-verify/tests/quic-frag-middle-gap/input.pcap",
        "suricata-verify/tests/quic-frag-unordered/input.pcap",
        "suricata-verify/tests/quic-frag/input.pcap",
        "suricata-verify/tests/quic-initial-not-first/input.pcap",
        "suricata-verify/tests/quic-v2/input.pcap",
    };
    unsigned total = 0, named = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1024], cmd[2048];
        snprintf(path, sizeof path, "%s/%s", corpus, files[i]);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "missing %s\n", path);
            continue;
        }
        found mine[32];
        size_t n = walk(path, mine, 32);
        snprintf(cmd, sizeof cmd, "tshark -r '%s' -Y 'tls.handshake.type == 1' -T fields "
                 "-e frame.number -e tls.handshake.extensions_server_name 2>/dev/null", path);
        char *ts = pw_run(cmd);
        CHECK(ts != NULL);
        if (!ts)
            continue;
        /* Same (frame, sni) lines, in the same order. */
        char mineout[4096] = "";
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            m += (size_t)snprintf(mineout + m, sizeof mineout - m, "%lu\t%s\n", mine[k].frame, mine[k].sni);
            named += mine[k].sni[0] != '\0';
        }
        if (strcmp(mineout, ts) != 0)
            fprintf(stderr, "%s:\n tshark:\n%s we:\n%s", files[i], ts, mineout);
        CHECK_STR(mineout, ts);
        fprintf(stderr, "%s: %zu ClientHellos\n", files[i], n);
        total += (unsigned)n;
        free(ts);
    }
    CHECK(total >= 12);
    CHECK(named >= 10);
}

int main(void)
{
    iotap_set_progname("test-quic");
    test_keys();
    test_rfc_packet();
    test_fragmented();
    test_quic_corpus();
    return TEST_DONE();
}
