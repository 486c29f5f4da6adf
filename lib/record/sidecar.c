/*
 * sidecar.c - per-segment YAML sidecar, written and read with libyaml (see
 * sidecar.h). The writer emits events (so quoting is libyaml's job); the
 * reader accepts one flat mapping of scalars and ignores unknown keys so
 * that later versions can add fields.
 */
#include "sidecar.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>

#include "util.h"

void iotap_sidecar_init(iotap_sidecar *s)
{
    memset(s, 0, sizeof *s);
    s->kernel_drops = s->interface_drops = -1;
    s->linktype = 1;
}

typedef struct outbuf {
    char *p;
    size_t len, cap;
} outbuf;

static int out_handler(void *data, unsigned char *buf, size_t size)
{
    outbuf *o = data;
    if (o->len + size + 1 > o->cap) {
        o->cap = (o->len + size + 1) * 2;
        o->p = xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, buf, size);
    o->len += size;
    o->p[o->len] = '\0';
    return 1;
}

static void scalar(yaml_emitter_t *e, const char *v, bool plain_ok)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)v, (int)strlen(v), plain_ok,
                                 !plain_ok, plain_ok ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    yaml_emitter_emit(e, &ev);
}

static void kv_str(yaml_emitter_t *e, const char *k, const char *v)
{
    scalar(e, k, true);
    scalar(e, v, false);
}

static void kv_raw(yaml_emitter_t *e, const char *k, const char *v)
{
    scalar(e, k, true);
    scalar(e, v, true);
}

static void kv_u(yaml_emitter_t *e, const char *k, uint64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRIu64, v);
    kv_raw(e, k, b);
}

static void kv_i(yaml_emitter_t *e, const char *k, int64_t v, bool known)
{
    char b[32];
    snprintf(b, sizeof b, "%" PRId64, v);
    kv_raw(e, k, known ? b : "~");
}

static void kv_time(yaml_emitter_t *e, const char *k, int64_t ns, bool known)
{
    char b[IOTAP_TIME_BUFSZ];
    kv_raw(e, k, known ? iotap_format_time(ns, b) : "~");
}

char *iotap_sidecar_format(const iotap_sidecar *s, size_t *len)
{
    outbuf o = { 0 };
    yaml_emitter_t e;
    yaml_event_t ev;
    yaml_emitter_initialize(&e);
    yaml_emitter_set_output(&e, out_handler, &o);
    yaml_emitter_set_unicode(&e, 1);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    yaml_emitter_emit(&e, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    yaml_emitter_emit(&e, &ev);
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    yaml_emitter_emit(&e, &ev);

    kv_str(&e, "file", s->file);
    kv_str(&e, "sensor", s->sensor);
    kv_str(&e, "interface", s->interface);
    kv_str(&e, "source", s->source);
    kv_i(&e, "linktype", s->linktype, true);
    kv_u(&e, "snaplen", s->snaplen);
    kv_str(&e, "filter", s->filter);
    kv_u(&e, "sequence", s->sequence);
    kv_time(&e, "opened", s->opened_ns, s->opened_ns != 0);
    kv_time(&e, "closed", s->closed_ns, s->closed_ns != 0);
    kv_time(&e, "first_packet", s->first_ns, s->has_packets_time);
    kv_time(&e, "last_packet", s->last_ns, s->has_packets_time);
    kv_u(&e, "packets", s->packets);
    kv_u(&e, "bytes", s->bytes);
    kv_u(&e, "captured_bytes", s->captured_bytes);
    kv_u(&e, "compressed_bytes", s->compressed_bytes);
    kv_i(&e, "kernel_drops", s->kernel_drops, s->kernel_drops >= 0);
    kv_i(&e, "interface_drops", s->interface_drops, s->interface_drops >= 0);
    kv_u(&e, "lost_packets", s->lost_packets);
    kv_raw(&e, "recovered", s->recovered ? "true" : "false");
    kv_str(&e, "close_reason", s->close_reason);
    kv_time(&e, "gap_start", s->gap_start_ns, s->gap_start_ns != 0);
    kv_str(&e, "gap_reason", s->gap_reason);
    char b[48];
    snprintf(b, sizeof b, "%.3f", (double)s->clock_jump_ns / 1e9);
    kv_raw(&e, "clock_jump_seconds", b);
    kv_u(&e, "slice_encrypted", s->slice_encrypted);
    kv_u(&e, "sliced_packets", s->sliced_packets);
    kv_u(&e, "slice_saved_bytes", s->slice_saved_bytes);
    kv_str(&e, "sha256", s->sha256);
    kv_str(&e, "prev_sha256", s->prev_sha256);

    yaml_mapping_end_event_initialize(&ev);
    yaml_emitter_emit(&e, &ev);
    yaml_document_end_event_initialize(&ev, 1);
    yaml_emitter_emit(&e, &ev);
    yaml_stream_end_event_initialize(&ev);
    yaml_emitter_emit(&e, &ev);
    yaml_emitter_flush(&e);
    if (e.error != YAML_NO_ERROR)
        iotap_die("yaml emitter: %s", e.problem ? e.problem : "error");
    yaml_emitter_delete(&e);
    *len = o.len;
    return o.p;
}

int iotap_sidecar_write(const char *path, const iotap_sidecar *s)
{
    size_t len;
    char *text = iotap_sidecar_format(s, &len);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        free(text);
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : ENOSPC;
            close(fd);
            free(text);
            errno = e;
            return -1;
        }
        done += (size_t)n;
    }
    free(text);
    if (fsync(fd) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

static void copy(char *dst, size_t n, const char *v)
{
    snprintf(dst, n, "%s", v);
}

static bool is_null(const char *v) { return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0; }

static int64_t to_i(const char *v) { return is_null(v) ? -1 : strtoll(v, NULL, 10); }
static uint64_t to_u(const char *v) { return is_null(v) ? 0 : strtoull(v, NULL, 10); }

/* A time, kept to the microsecond the format carries (iotap_format_time
 * floors to it): otherwise a time within the first microsecond of 1970
 * would be "known" when read and unknown (0) once written and read again. */
static int64_t to_time(const char *v)
{
    int64_t ns = 0;
    if (is_null(v) || iotap_parse_time(v, &ns) < 0)
        return 0;
    return ns - ((ns % 1000) + 1000) % 1000;
}

/* Seconds with a fraction -> ns. A jump that an int64_t of nanoseconds
 * cannot hold (or NaN, "1e300") is not a real clock jump: read as none. */
static int64_t to_jump_ns(const char *v)
{
    double sec = is_null(v) ? 0 : strtod(v, NULL);
    if (!isfinite(sec) || fabs(sec) > 9.0e9)
        return 0;
    return llround(sec * 1e9);
}

static void set_field(iotap_sidecar *s, const char *k, const char *v)
{
#define STR(name) else if (strcmp(k, #name) == 0) copy(s->name, sizeof s->name, v)
    if (0) {}
    STR(file); STR(sensor); STR(interface); STR(source); STR(filter);
    STR(close_reason); STR(gap_reason); STR(sha256); STR(prev_sha256);
    else if (strcmp(k, "linktype") == 0) s->linktype = (int)to_i(v);
    else if (strcmp(k, "snaplen") == 0) s->snaplen = (uint32_t)to_u(v);
    else if (strcmp(k, "sequence") == 0) s->sequence = to_u(v);
    else if (strcmp(k, "opened") == 0) s->opened_ns = to_time(v);
    else if (strcmp(k, "closed") == 0) s->closed_ns = to_time(v);
    else if (strcmp(k, "first_packet") == 0) { s->first_ns = to_time(v); s->has_packets_time = !is_null(v); }
    else if (strcmp(k, "last_packet") == 0) s->last_ns = to_time(v);
    else if (strcmp(k, "packets") == 0) s->packets = to_u(v);
    else if (strcmp(k, "bytes") == 0) s->bytes = to_u(v);
    else if (strcmp(k, "captured_bytes") == 0) s->captured_bytes = to_u(v);
    else if (strcmp(k, "compressed_bytes") == 0) s->compressed_bytes = to_u(v);
    else if (strcmp(k, "kernel_drops") == 0) s->kernel_drops = to_i(v);
    else if (strcmp(k, "interface_drops") == 0) s->interface_drops = to_i(v);
    else if (strcmp(k, "lost_packets") == 0) s->lost_packets = to_u(v);
    else if (strcmp(k, "recovered") == 0) s->recovered = strcmp(v, "true") == 0;
    else if (strcmp(k, "gap_start") == 0) s->gap_start_ns = to_time(v);
    else if (strcmp(k, "clock_jump_seconds") == 0) s->clock_jump_ns = to_jump_ns(v);
    else if (strcmp(k, "slice_encrypted") == 0) s->slice_encrypted = (uint32_t)to_u(v);
    else if (strcmp(k, "sliced_packets") == 0) s->sliced_packets = to_u(v);
    else if (strcmp(k, "slice_saved_bytes") == 0) s->slice_saved_bytes = to_u(v);
#undef STR
}

int iotap_sidecar_read(const char *path, iotap_sidecar *s, char *err, size_t errlen)
{
    iotap_sidecar_init(s);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s", strerror(errno));
        return -1;
    }
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int depth = 0, rc = 0;
    char key[64] = "";
    bool have_key = false, done = false;
    /* A sidecar is small; cap the events read so a hostile file ends. */
    for (int n = 0; !done && n < 10000; n++) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            snprintf(err, errlen, "line %zu: %s", p.problem_mark.line + 1,
                     p.problem ? p.problem : "YAML error");
            rc = -1;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            depth++;
            have_key = false;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            depth--;
            break;
        case YAML_SCALAR_EVENT:
            if (depth == 1) {
                const char *v = (const char *)ev.data.scalar.value;
                if (!have_key) {
                    copy(key, sizeof key, v);
                    have_key = true;
                } else {
                    /* A quoted "~" is a string, a plain one is null. */
                    set_field(s, key, ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE || *v ? v : "");
                    have_key = false;
                }
            }
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    if (rc == 0 && !done) {
        snprintf(err, errlen, "too many YAML events");
        rc = -1;
    }
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}
