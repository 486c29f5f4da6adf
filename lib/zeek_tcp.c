/*
 * zeek_tcp.c - Zeek's TCP endpoint state machine and conn_state, so that a
 * flow's conn_state column means what it means in Zeek's conn.log.
 *
 * Each end of a connection is INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL,
 * ESTABLISHED, CLOSED or RESET, updated per packet the way Zeek's
 * TCPSessionAdapter::UpdateStateMachine does, minus its sequence-number
 * checks (a capture that lost packets would otherwise change the answer).
 * The few history bits conn_state needs (RSTOS0) are kept beside them.
 */
#include "zeek_tcp.h"

#include <stdbool.h>

#include "decode.h"

/* Zeek's TCP endpoint states. */
enum { EP_INACTIVE, EP_SYN_SENT, EP_SYN_ACK_SENT, EP_PARTIAL, EP_ESTABLISHED,
       EP_CLOSED, EP_RESET };

/* History bits for Zeek's RSTOS0 test (history /^S[^HAFGIQ]*R/). */
#define H_SYN_FIRST   0x01      /* the first packet was the originator's SYN */
#define H_ORIG_ACKED  0x02      /* originator sent ACK/FIN/SYN-ACK before RST */
#define H_ORIG_RST    0x04

static void ep_set(iotap_zeek_tcp *z, int e, uint8_t s)
{
    z->ep_prev[e] = z->ep[e];
    z->ep[e] = s;
}

/* Zeek's TCPSessionAdapter::UpdateStateMachine for the end sending in
 * direction e, without the sequence-number checks. */
void iotap_zeek_tcp_update(iotap_zeek_tcp *z, int e, int orig, uint8_t fl, uint32_t len)
{
    e &= 1;
    orig &= 1;
    int p = !e;
    bool is_orig = e == orig;
    bool syn = fl & IOTAP_TCP_SYN, ack = fl & IOTAP_TCP_ACK;
    bool fin = fl & IOTAP_TCP_FIN, rst = fl & IOTAP_TCP_RST;
    switch (z->ep[e]) {
    case EP_INACTIVE:
        if (syn) {
            if (is_orig) {
                ep_set(z, e, ack ? EP_SYN_ACK_SENT : EP_SYN_SENT);
            } else {
                if (!ack && z->ep[p] == EP_SYN_ACK_SENT)
                    ep_set(z, p, EP_ESTABLISHED);   /* SYN/SYN-ACK reversal */
                if (z->ep[p] == EP_SYN_SENT)
                    ep_set(z, p, EP_ESTABLISHED);
                ep_set(z, e, EP_ESTABLISHED);
            }
        }
        if (fin)
            ep_set(z, e, EP_CLOSED);
        if (rst)
            ep_set(z, e, EP_RESET);
        if (z->ep[e] == EP_INACTIVE) {
            if (!is_orig && len == 0 && z->ep[orig] == EP_SYN_SENT)
                ;   /* an ACK of the SYN before the SYN-ACK: not partial */
            else if (ack && z->ep[p] == EP_ESTABLISHED)
                ep_set(z, e, EP_ESTABLISHED);       /* missed the SYN */
            else
                ep_set(z, e, EP_PARTIAL);
        }
        break;
    case EP_SYN_SENT:
    case EP_SYN_ACK_SENT:
        if (fin)
            ep_set(z, e, EP_CLOSED);
        if (rst)
            ep_set(z, e, EP_RESET);
        break;
    case EP_ESTABLISHED:
    case EP_PARTIAL:
        if (syn && z->ep[e] == EP_PARTIAL && z->ep[p] == EP_INACTIVE && !ack)
            ep_set(z, e, EP_SYN_SENT);
        if (fin && !rst) {
            ep_set(z, e, EP_CLOSED);
            if (z->ep[p] == EP_RESET && z->ep_prev[p] == EP_CLOSED)
                ep_set(z, p, EP_CLOSED);            /* FIN then RST: normal close */
        }
        if (rst)
            ep_set(z, e, EP_RESET);
        break;
    case EP_CLOSED:
        if (rst && z->ep[p] != EP_CLOSED)
            ep_set(z, e, EP_RESET);
        break;
    default:
        break;
    }
    if (is_orig && !(z->hist & H_ORIG_RST)) {
        if (rst)
            z->hist |= H_ORIG_RST;
        else if (fin || (syn && ack) || (ack && !syn && len == 0))
            z->hist |= H_ORIG_ACKED;
    }
}

void iotap_zeek_tcp_first(iotap_zeek_tcp *z, uint8_t fl)
{
    if ((fl & (IOTAP_TCP_SYN | IOTAP_TCP_ACK | IOTAP_TCP_RST)) == IOTAP_TCP_SYN)
        z->hist |= H_SYN_FIRST;
}

/* Zeek's conn_state() (base/protocols/conn/main.zeek) for TCP. */
const char *iotap_zeek_tcp_conn_state(const iotap_zeek_tcp *z, int orig,
                                      const uint64_t payload[2])
{
    int o = orig & 1, p = !o;
    uint8_t os = z->ep[o], rs = z->ep[p];
    bool o_inactive = os == EP_INACTIVE || os == EP_PARTIAL;
    bool r_inactive = rs == EP_INACTIVE || rs == EP_PARTIAL;
    if (rs == EP_RESET) {
        if (os == EP_SYN_SENT || os == EP_SYN_ACK_SENT ||
            (os == EP_RESET && payload[o] == 0 && payload[p] == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == EP_RESET) {
        if (r_inactive)
            return (z->hist & H_SYN_FIRST) && !(z->hist & H_ORIG_ACKED) ? "RSTOS0" : "OTH";
        return "RSTO";
    }
    if (rs == EP_CLOSED && os == EP_CLOSED)
        return "SF";
    if (os == EP_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == EP_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == EP_SYN_SENT && rs == EP_INACTIVE)
        return "S0";
    if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
        return "S1";
    return "OTH";
}
