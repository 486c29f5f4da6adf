/*
 * config.c - loads /etc/iotap/iotap.yaml (or --config FILE) into an
 * iotap_config (see config.h for the keys).
 *
 * The file is read with libyaml's document API and then walked against a
 * fixed schema. Every problem is reported as `FILE:LINE: message` (with the
 * line of the offending node) and the walk goes on, so one run lists every
 * mistake; any problem makes the load fail. A key given as null (`key:` or
 * `key: ~`) leaves the setting unset, so the example file can show keys
 * without forcing values.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

struct loader {
    const char *path;
    yaml_document_t *doc;
    iotap_config *cfg;
    unsigned errors;
    /* Line of each label's first appearance, for duplicate reports. */
    unsigned long *label_line;
};

__attribute__((format(printf, 3, 4)))
static void problem(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    iotap_warn("%s:%lu: %s", l->path, n ? (unsigned long)n->start_mark.line + 1 : 0UL, msg);
    l->errors++;
}

static yaml_node_t *node(struct loader *l, int index)
{
    return yaml_document_get_node(l->doc, index);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A plain empty, "~" or "null" scalar: the YAML spellings of nothing. */
static bool is_null(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *s = (const char *)n->data.scalar.value;
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* A scalar with no NUL inside (libyaml allows "\0" escapes). */
static const char *want_string(struct loader *l, const char *key, const yaml_node_t *v)
{
    const char *s = scalar(v);
    if (!s) {
        problem(l, v, "%s: expected a single value, not a %s", key,
                v->type == YAML_MAPPING_NODE ? "mapping" : "list");
        return NULL;
    }
    if (strlen(s) != v->data.scalar.length) {
        problem(l, v, "%s: value holds a NUL byte", key);
        return NULL;
    }
    return s;
}

static void set_string(struct loader *l, const char *key, const yaml_node_t *v, char **dst)
{
    const char *s = want_string(l, key, v);
    if (!s)
        return;
    if (!*s) {
        problem(l, v, "%s: empty value", key);
        return;
    }
    free(*dst);
    *dst = xstrdup(s);
}

static void set_size(struct loader *l, const char *key, const yaml_node_t *v, uint64_t *dst,
                     unsigned bit)
{
    const char *s = want_string(l, key, v);
    uint64_t x;
    if (!s)
        return;
    if (iotap_parse_size(s, &x) != 0) {
        problem(l, v, "%s: '%s' is not a size (like 4096, 512K, 64M, 1G)", key, s);
        return;
    }
    *dst = x;
    l->cfg->record.set |= bit;
}

static void set_uint(struct loader *l, const char *key, const yaml_node_t *v, uint64_t *dst,
                     unsigned bit, uint64_t min, uint64_t max)
{
    const char *s = want_string(l, key, v);
    if (!s)
        return;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || x < min || x > max) {
        problem(l, v, "%s: '%s' is not a whole number from %llu to %llu", key, s,
                (unsigned long long)min, (unsigned long long)max);
        return;
    }
    *dst = x;
    l->cfg->record.set |= bit;
}

static void set_bool(struct loader *l, const char *key, const yaml_node_t *v, int *dst)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", NULL};
    const char *s = want_string(l, key, v);
    if (!s)
        return;
    for (size_t i = 0; yes[i]; i++)
        if (!strcmp(s, yes[i])) {
            *dst = 1;
            return;
        }
    for (size_t i = 0; no[i]; i++)
        if (!strcmp(s, no[i])) {
            *dst = 0;
            return;
        }
    problem(l, v, "%s: '%s' is not true or false", key, s);
}

static bool is_known(const char *const *names, const char *key)
{
    for (size_t i = 0; names[i]; i++)
        if (!strcmp(names[i], key))
            return true;
    return false;
}

/* Calls fn for every key/value of a mapping node, reporting non-scalar and
 * duplicate keys. */
typedef void (*pair_fn)(struct loader *l, const char *key, yaml_node_t *k, yaml_node_t *v);
static void each_pair(struct loader *l, const char *what, yaml_node_t *map, pair_fn fn)
{
    if (map->type != YAML_MAPPING_NODE) {
        problem(l, map, "%s: expected a mapping (key: value lines)", what);
        return;
    }
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        yaml_node_t *k = node(l, p->key), *v = node(l, p->value);
        if (!k || !v)
            continue;
        const char *key = scalar(k);
        if (!key) {
            problem(l, k, "%s: keys must be plain values", what);
            continue;
        }
        bool dup = false;
        for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
            const char *other = scalar(node(l, q->key));
            if (other && !strcmp(other, key))
                dup = true;
        }
        if (dup) {
            problem(l, k, "%s: key '%s' given twice", what, key);
            continue;
        }
        fn(l, key, k, v);
    }
}

static void record_pair(struct loader *l, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const known[] = {"interface", "root", "sensor", "user", "filter",
        "snaplen", "buffer_size", "rotate_size", "max_bytes", "min_free", "slice_encrypted",
        "rotate_seconds", "flush_seconds", "level", "promisc", NULL};
    iotap_record_config *r = &l->cfg->record;
    if (!is_known(known, key)) {
        problem(l, k, "unknown key 'record.%s'", key);
        return;
    }
    if (is_null(v))
        return;
    char full[64];      /* "record.KEY" for messages */
    snprintf(full, sizeof full, "record.%s", key);
    if (!strcmp(key, "interface")) set_string(l, full, v, &r->interface);
    else if (!strcmp(key, "root")) set_string(l, full, v, &r->root);
    else if (!strcmp(key, "sensor")) set_string(l, full, v, &r->sensor);
    else if (!strcmp(key, "user")) set_string(l, full, v, &r->user);
    else if (!strcmp(key, "filter")) set_string(l, full, v, &r->filter);
    else if (!strcmp(key, "snaplen")) set_size(l, full, v, &r->snaplen, IOTAP_RC_SNAPLEN);
    else if (!strcmp(key, "buffer_size")) set_size(l, full, v, &r->buffer_size, IOTAP_RC_BUFFER);
    else if (!strcmp(key, "rotate_size")) set_size(l, full, v, &r->rotate_size, IOTAP_RC_ROTATE_SIZE);
    else if (!strcmp(key, "max_bytes")) set_size(l, full, v, &r->max_bytes, IOTAP_RC_MAX_BYTES);
    else if (!strcmp(key, "min_free")) set_size(l, full, v, &r->min_free, IOTAP_RC_MIN_FREE);
    else if (!strcmp(key, "slice_encrypted")) set_size(l, full, v, &r->slice_encrypted, IOTAP_RC_SLICE);
    else if (!strcmp(key, "rotate_seconds"))
        set_uint(l, full, v, &r->rotate_seconds, IOTAP_RC_ROTATE_SECONDS, 0, 366 * 86400);
    else if (!strcmp(key, "flush_seconds"))
        set_uint(l, full, v, &r->flush_seconds, IOTAP_RC_FLUSH, 0, 86400);
    else if (!strcmp(key, "level")) set_uint(l, full, v, &r->level, IOTAP_RC_LEVEL, 0, 22);
    else set_bool(l, full, v, &r->promisc);
}

static void device_pair(struct loader *l, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    iotap_config *cfg = l->cfg;
    uint8_t mac[6];
    char a[IOTAP_MAC_BUFSZ];
    if (iotap_parse_mac(key, mac) != 0) {
        problem(l, k, "devices: '%s' is not a MAC address", key);
        return;
    }
    const char *name = is_null(v) ? NULL : want_string(l, "devices", v);
    if (is_null(v) || (name && !*name)) {
        problem(l, v, "devices: %s has no label", iotap_format_mac(mac, a));
        return;
    }
    if (!name)
        return;
    for (size_t i = 0; i < cfg->nlabels; i++) {
        if (!memcmp(cfg->labels[i].mac, mac, 6)) {
            problem(l, k, "devices: %s listed twice (first at line %lu)", iotap_format_mac(mac, a),
                    l->label_line[i]);
            return;
        }
        if (!strcmp(cfg->labels[i].name, name)) {
            problem(l, v, "devices: label '%s' used twice (first at line %lu)", name,
                    l->label_line[i]);
            return;
        }
    }
    cfg->labels = xrealloc(cfg->labels, (cfg->nlabels + 1) * sizeof *cfg->labels);
    l->label_line = xrealloc(l->label_line, (cfg->nlabels + 1) * sizeof *l->label_line);
    memcpy(cfg->labels[cfg->nlabels].mac, mac, 6);
    cfg->labels[cfg->nlabels].name = xstrdup(name);
    l->label_line[cfg->nlabels] = (unsigned long)k->start_mark.line + 1;
    cfg->nlabels++;
}

static void add_lan(struct loader *l, yaml_node_t *v)
{
    const char *s = want_string(l, "lan", v);
    iotap_net net;
    if (!s)
        return;
    if (iotap_net_parse(s, &net) != 0) {
        problem(l, v, "lan: '%s' is not a network (like 192.168.1.0/24 or 2001:db8::/64)", s);
        return;
    }
    l->cfg->lan = xrealloc(l->cfg->lan, (l->cfg->nlan + 1) * sizeof *l->cfg->lan);
    l->cfg->lan[l->cfg->nlan++] = net;
}

static void geoip_pair(struct loader *l, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const known[] = {"country", "city", "asn", NULL};
    iotap_config *cfg = l->cfg;
    if (!is_known(known, key)) {
        problem(l, k, "unknown key 'geoip.%s'", key);
        return;
    }
    if (is_null(v))
        return;
    char full[64];
    snprintf(full, sizeof full, "geoip.%s", key);
    if (!strcmp(key, "country")) set_string(l, full, v, &cfg->geoip_country);
    else if (!strcmp(key, "city")) set_string(l, full, v, &cfg->geoip_city);
    else set_string(l, full, v, &cfg->geoip_asn);
}

static void top_pair(struct loader *l, const char *key, yaml_node_t *k, yaml_node_t *v)
{
    static const char *const known[] = {"record", "devices", "lan", "router", "geoip", NULL};
    if (!is_known(known, key)) {
        problem(l, k, "unknown key '%s'", key);
        return;
    }
    if (is_null(v))
        return;
    if (!strcmp(key, "record")) {
        each_pair(l, "record", v, record_pair);
    } else if (!strcmp(key, "devices")) {
        each_pair(l, "devices", v, device_pair);
    } else if (!strcmp(key, "lan")) {
        if (v->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *i = v->data.sequence.items.start; i < v->data.sequence.items.top; i++) {
                yaml_node_t *item = node(l, *i);
                if (item)
                    add_lan(l, item);
            }
        } else {
            add_lan(l, v);      /* one network without a list */
        }
    } else if (!strcmp(key, "router")) {
        const char *s = want_string(l, key, v);
        if (s && iotap_parse_mac(s, l->cfg->router_mac) != 0)
            problem(l, v, "router: '%s' is not a MAC address", s);
        else if (s)
            l->cfg->has_router = true;
    } else {
        each_pair(l, "geoip", v, geoip_pair);
    }
}

int iotap_config_load(const char *path, iotap_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->record.promisc = -1;
    bool is_default = path == NULL;
    if (is_default)
        path = IOTAP_DEFAULT_CONFIG;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (is_default && errno == ENOENT)
            return 0;
        iotap_warn("%s: %s", path, strerror(errno));
        return -1;
    }
    cfg->path = xstrdup(path);

    yaml_parser_t parser;
    yaml_document_t doc;
    struct loader l = {.path = path, .doc = &doc, .cfg = cfg};
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        iotap_warn("%s: cannot start the YAML parser", path);
        iotap_config_free(cfg);
        return -1;
    }
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        iotap_warn("%s:%lu: %s%s%s", path, (unsigned long)parser.problem_mark.line + 1,
                   parser.problem ? parser.problem : "YAML error",
                   parser.context ? " " : "", parser.context ? parser.context : "");
        l.errors++;
    } else {
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && !(root->type == YAML_SCALAR_NODE && is_null(root)))
            each_pair(&l, "top level", root, top_pair);
        yaml_document_delete(&doc);
        /* A second document would be silently ignored; say so instead. */
        if (root && yaml_parser_load(&parser, &doc)) {
            yaml_node_t *second = yaml_document_get_root_node(&doc);
            if (second)
                problem(&l, second, "only one YAML document is read; remove the '---' after the first");
            yaml_document_delete(&doc);
        }
    }
    yaml_parser_delete(&parser);
    if (ferror(f)) {
        iotap_warn("%s: read error", path);
        l.errors++;
    }
    fclose(f);
    free(l.label_line);
    if (l.errors) {
        iotap_config_free(cfg);
        return -1;
    }
    return 0;
}

void iotap_config_free(iotap_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->nlabels; i++)
        free(cfg->labels[i].name);
    free(cfg->labels);
    free(cfg->lan);
    free(cfg->path);
    free(cfg->geoip_country);
    free(cfg->geoip_city);
    free(cfg->geoip_asn);
    iotap_record_config *r = &cfg->record;
    free(r->interface);
    free(r->root);
    free(r->sensor);
    free(r->user);
    free(r->filter);
    memset(cfg, 0, sizeof *cfg);
    cfg->record.promisc = -1;
}

const char *iotap_config_label(const iotap_config *cfg, const uint8_t mac[6])
{
    for (size_t i = 0; cfg && i < cfg->nlabels; i++)
        if (!memcmp(cfg->labels[i].mac, mac, 6))
            return cfg->labels[i].name;
    return NULL;
}

int iotap_config_device(const iotap_config *cfg, const char *mac_or_label, uint8_t mac[6])
{
    /* A label wins over a MAC spelling: the user chose that name. */
    for (size_t i = 0; cfg && i < cfg->nlabels; i++)
        if (!strcmp(cfg->labels[i].name, mac_or_label)) {
            memcpy(mac, cfg->labels[i].mac, 6);
            return 0;
        }
    return iotap_parse_mac(mac_or_label, mac);
}
