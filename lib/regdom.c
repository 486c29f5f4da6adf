/*
 * regdom.c - registrable domains through libpsl (see regdom.h).
 */
#include "regdom.h"

#include <arpa/inet.h>
#include <libpsl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct iotap_regdom {
    psl_ctx_t *latest;          /* ours to free */
    const psl_ctx_t *psl;       /* the one in use */
};

iotap_regdom *iotap_regdom_new(void)
{
    iotap_regdom *r = xcalloc(1, sizeof *r);
    r->latest = psl_latest(NULL);
    r->psl = r->latest ? r->latest : psl_builtin();
    if (!r->psl)
        iotap_warn("no Public Suffix List (libpsl has none built in and none is installed): "
                   "registrable domains left empty");
    return r;
}

void iotap_regdom_free(iotap_regdom *r)
{
    if (!r)
        return;
    psl_free(r->latest);
    free(r);
}

static bool is_ip_literal(const char *s)
{
    uint8_t buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1 || s[0] == '[';
}

const char *iotap_regdom_get(const iotap_regdom *r, const char *host, char *out)
{
    out[0] = '\0';
    if (!host || !r->psl)
        return out;
    char name[IOTAP_REGDOM_BUFSZ];
    size_t n = strlen(host);
    while (n > 0 && host[n - 1] == '.')
        n--;
    if (n == 0 || n >= sizeof name)
        return out;
    for (size_t i = 0; i < n; i++)
        name[i] = (char)(host[i] >= 'A' && host[i] <= 'Z' ? host[i] - 'A' + 'a' : host[i]);
    name[n] = '\0';
    if (is_ip_literal(name) || !strchr(name, '.'))
        return out;
    const char *rd = psl_registrable_domain(r->psl, name);
    if (rd) {
        /* rd points into name, so it fits. */
        memmove(out, rd, strlen(rd) + 1);
    }
    return out;
}
