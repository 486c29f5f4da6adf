/*
 * fuzz-dhcp.c - the DHCPv4 parser (lib/proto/dhcp.c): BOOTP header, options,
 * option overload into file/sname. Text fields must stay NUL-terminated and
 * printable, address lists within their arrays.
 */
#include "fuzz.h"
#include "proto/dhcp.h"

static void check_text(const char *s)
{
    size_t n = strnlen(s, IOTAP_DHCP_TEXT);
    if (n >= IOTAP_DHCP_TEXT)
        abort();
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    iotap_dhcp d;
    (void)iotap_dhcp_parse(data, size, &d);
    check_text(d.hostname);
    check_text(d.vendor_class);
    check_text(d.fqdn);
    if (d.nrouters > IOTAP_DHCP_MAX_ADDRS || d.ndns > IOTAP_DHCP_MAX_ADDRS
        || d.client_id_len > sizeof d.client_id || d.noptions > IOTAP_DHCP_MAX_OPTIONS)
        abort();
    (void)iotap_dhcp_type_name(d.msg_type);
    return 0;
}
