/*
 * publish.c - the one way a segment becomes visible: sidecar written and
 * fsynced in .partial/, segment renamed into its dated directory, then the
 * sidecar, then both directories fsynced and the hash chain state saved.
 * rsync --exclude=.partial/ therefore only ever sees complete files.
 *
 * One recorder per sensor directory: iotap_rec_tree_init() takes an
 * exclusive flock() on the .partial/ directory (which a puller's
 * rsync --exclude=.partial/ never touches) and keeps it until exit; a
 * second instance would otherwise "recover" the live segment under the
 * first one's feet. Renames into the dated directory never replace an
 * existing file (renameat2 RENAME_NOREPLACE, or link + unlink).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recint.h"
#include "util.h"

int iotap_rec_tree_init(iotap_rec_tree *t, const char *root, const char *sensor)
{
    memset(t, 0, sizeof *t);
    t->lockfd = -1;
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
    /* The lock is on the .partial/ directory itself: it is never pulled or
     * removed by rsync --exclude=.partial/ (a lock file next to the
     * segments would be, and a second recorder would lock a new file). */
    t->lockfd = open(t->partialdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (t->lockfd < 0)
        return -1;
    if (flock(t->lockfd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno == EWOULDBLOCK ? EBUSY : errno;
        close(t->lockfd);
        t->lockfd = -1;
        errno = e;
        return -1;
    }
    iotap_rec_state_load(t->sensordir, sensor, &t->st);
    return 0;
}

/* Can files be created in dir? O_TMPFILE makes an unnamed file that never
 * appears (a puller cannot see it); where it is not supported, access().
 * A full file system is not "unwritable": that is waited for. */
static int probe_dir(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        return 0;
    }
    if (errno == EROFS || errno == EACCES)
        return -1;
    if (errno == ENOSPC || errno == EDQUOT)
        return 0;
#endif
    if (access(dir, W_OK | X_OK) == 0)
        return 0;
    return errno == EROFS || errno == EACCES ? -1 : 0;
}

int iotap_rec_tree_writable(const iotap_rec_tree *t, const char **dir)
{
    const char *dirs[] = { t->sensordir, t->partialdir };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (probe_dir(dirs[i]) < 0) {
            *dir = dirs[i];
            return -1;
        }
    }
    return 0;
}

void iotap_rec_tree_close(iotap_rec_tree *t)
{
    if (t->lockfd >= 0)
        close(t->lockfd);
    t->lockfd = -1;
}

static bool same_file(const char *a, const char *b)
{
    struct stat x, y;
    return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int iotap_rec_rename_noreplace(const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno == EEXIST && same_file(from, to))
        return unlink(from);    /* the link + unlink fallback was interrupted */
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP && errno != EPERM)
        return -1;      /* EEXIST included */
#endif
    /* No renameat2 here (old kernel or file system): link() never replaces. */
    if (link(from, to) == 0)
        return unlink(from) == 0 || errno == ENOENT ? 0 : -1;
    if (errno == EEXIST) {
        /* A crash between link and unlink left both names: finish it. */
        if (same_file(from, to))
            return unlink(from);
        errno = EEXIST;
        return -1;
    }
    if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS)
        return -1;
    /* No hard links either (e.g. vfat): check, then rename (racy, but the
     * lock keeps other recorders out). */
    if (access(to, F_OK) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(from, to);
}

/* The path the last failed publish step was about (for the log). */
static char g_failed[IOTAP_REC_NAME_MAX * 3];

const char *iotap_rec_publish_failed_path(void) { return g_failed; }

static int failed(const char *path)
{
    int e = errno;
    snprintf(g_failed, sizeof g_failed, "%s", path);
    errno = e;
    return -1;
}

static int move_into_place(iotap_rec_tree *t, const char *base, int64_t sec)
{
    char dated[IOTAP_REC_NAME_MAX + 32], from[IOTAP_REC_NAME_MAX * 2], to[IOTAP_REC_NAME_MAX * 3];
    iotap_rec_datedir(dated, sizeof dated, t->sensordir, sec);
    if (iotap_rec_mkdirs(dated) < 0)
        return failed(dated);
    snprintf(from, sizeof from, "%s/%s.pcap.zst", t->partialdir, base);
    snprintf(to, sizeof to, "%s/%s.pcap.zst", dated, base);
    /* Never overwrite a finished segment or sidecar. The segment may already
     * be in place when an interrupted publish is resumed. */
    if (iotap_rec_rename_noreplace(from, to) < 0 && errno != ENOENT)
        return failed(to);
    snprintf(from, sizeof from, "%s/%s.yaml", t->partialdir, base);
    snprintf(to, sizeof to, "%s/%s.yaml", dated, base);
    if (iotap_rec_rename_noreplace(from, to) < 0)
        return failed(to);
    /* Both are in place now: a puller sees them, so this is published
     * whatever follows. A directory that cannot be fsynced (not readable,
     * EIO) costs the durability of the new names only; failing here would
     * make the caller retry a publish that already happened, for ever (the
     * sidecar would clash with itself). */
    const char *dirs[] = { dated, t->partialdir };
    for (size_t i = 0; i < 2; i++)
        if (iotap_rec_fsync_dir(dirs[i]) < 0)
            iotap_warn("%s: cannot fsync the directory: %s; %s is in place but its name may not "
                       "survive a power cut", dirs[i], strerror(errno), base);
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
        return failed(tmp);
    }
    if (rename(tmp, yaml) < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
        return failed(yaml);
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
