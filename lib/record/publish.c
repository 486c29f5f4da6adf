/*
 * publish.c - the one way a segment becomes visible: sidecar written and
 * fsynced in .partial/, segment renamed into its dated directory, then the
 * sidecar, then both directories fsynced and the hash chain state saved.
 * rsync --exclude=.partial/ therefore only ever sees complete files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recint.h"
#include "util.h"

int iotap_rec_tree_init(iotap_rec_tree *t, const char *root, const char *sensor)
{
    memset(t, 0, sizeof *t);
    if (strlen(sensor) >= sizeof t->sensor || strchr(sensor, '/') || !*sensor || sensor[0] == '.') {
        errno = EINVAL;
        return -1;
    }
    snprintf(t->sensor, sizeof t->sensor, "%s", sensor);
    if ((size_t)snprintf(t->sensordir, sizeof t->sensordir, "%s/%s", root, sensor) >= sizeof t->sensordir) {
        errno = ENAMETOOLONG;
        return -1;
    }
    snprintf(t->partialdir, sizeof t->partialdir, "%s/.partial", t->sensordir);
    if (iotap_rec_mkdirs(t->partialdir) < 0)
        return -1;
    iotap_rec_state_load(t->sensordir, sensor, &t->st);
    return 0;
}

static int move_into_place(iotap_rec_tree *t, const char *base, int64_t sec)
{
    char dated[IOTAP_REC_NAME_MAX + 32], from[IOTAP_REC_NAME_MAX * 2], to[IOTAP_REC_NAME_MAX * 3];
    iotap_rec_datedir(dated, sizeof dated, t->sensordir, sec);
    if (iotap_rec_mkdirs(dated) < 0)
        return -1;
    snprintf(from, sizeof from, "%s/%s.pcap.zst", t->partialdir, base);
    snprintf(to, sizeof to, "%s/%s.pcap.zst", dated, base);
    if (access(from, F_OK) == 0) {
        /* Never overwrite a finished segment. */
        if (access(to, F_OK) == 0) {
            errno = EEXIST;
            return -1;
        }
        if (rename(from, to) < 0)
            return -1;
    }
    snprintf(from, sizeof from, "%s/%s.yaml", t->partialdir, base);
    snprintf(to, sizeof to, "%s/%s.yaml", dated, base);
    if (rename(from, to) < 0)
        return -1;
    if (iotap_rec_fsync_dir(dated) < 0 || iotap_rec_fsync_dir(t->partialdir) < 0)
        return -1;
    return 0;
}

int iotap_rec_publish(iotap_rec_tree *t, const char *base, iotap_sidecar *sc)
{
    int64_t sec;
    uint64_t seq;
    if (iotap_rec_parse_segname(base, &sec, &seq) < 0) {
        errno = EINVAL;
        return -1;
    }
    snprintf(sc->prev_sha256, sizeof sc->prev_sha256, "%s", t->st.prev_sha256);
    snprintf(sc->file, sizeof sc->file, "%s.pcap.zst", base);
    char tmp[IOTAP_REC_NAME_MAX * 2], yaml[IOTAP_REC_NAME_MAX * 2];
    snprintf(tmp, sizeof tmp, "%s/%s.yaml.tmp", t->partialdir, base);
    snprintf(yaml, sizeof yaml, "%s/%s.yaml", t->partialdir, base);
    if (iotap_sidecar_write(tmp, sc) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    if (rename(tmp, yaml) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return -1;
    }
    /* From here on a crash is finished by iotap_rec_publish_resume(). */
    if (move_into_place(t, base, sec) < 0)
        return -1;
    snprintf(t->st.prev_sha256, sizeof t->st.prev_sha256, "%s", sc->sha256);
    if (seq + 1 > t->st.next_seq)
        t->st.next_seq = seq + 1;
    if (iotap_rec_state_save(t->sensordir, &t->st) < 0)
        iotap_warn("%s/.seq: cannot save state: %s", t->sensordir, strerror(errno));
    return 0;
}

int iotap_rec_publish_resume(iotap_rec_tree *t, const char *base)
{
    int64_t sec;
    uint64_t seq;
    if (iotap_rec_parse_segname(base, &sec, &seq) < 0) {
        errno = EINVAL;
        return -1;
    }
    char yaml[IOTAP_REC_NAME_MAX * 2], err[256];
    snprintf(yaml, sizeof yaml, "%s/%s.yaml", t->partialdir, base);
    iotap_sidecar sc;
    if (iotap_sidecar_read(yaml, &sc, err, sizeof err) < 0) {
        iotap_warn("%s: %s", yaml, err);
        errno = EINVAL;
        return -1;
    }
    if (move_into_place(t, base, sec) < 0)
        return -1;
    if (sc.sha256[0])
        snprintf(t->st.prev_sha256, sizeof t->st.prev_sha256, "%s", sc.sha256);
    if (seq + 1 > t->st.next_seq)
        t->st.next_seq = seq + 1;
    iotap_rec_state_save(t->sensordir, &t->st);
    return 0;
}
