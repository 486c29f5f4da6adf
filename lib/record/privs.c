/*
 * privs.c - -Z USER: after the capture and the output tree are open, give
 * the tree to USER (so later segments can still be created, renamed and
 * deleted), then become USER. CAP_NET_RAW and CAP_NET_ADMIN are kept
 * (PR_SET_KEEPCAPS + capset) only so that the interface can be reopened
 * after it disappears; nothing else of root remains. Started without root
 * (e.g. the systemd unit's DynamicUser= with `user:` in the config), there
 * is nothing to drop: a warning, unless we already are USER, and go on.
 */
#include <errno.h>
#include <ftw.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "recint.h"
#include "util.h"

static uid_t g_uid;
static gid_t g_gid;

static int chown_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    if (lchown(path, g_uid, g_gid) < 0)
        iotap_warn("-Z: chown %s: %s", path, strerror(errno));
    return 0;
}

int iotap_rec_drop_privs(const iotap_rec_tree *t, const char *user)
{
    struct passwd *pw = getpwnam(user);
    if (geteuid() != 0) {
        /* Already unprivileged (systemd's DynamicUser=, or started by that
         * user): there is nothing to drop, and dying here would only make
         * Restart=always loop. Say so once and go on. */
        if (pw && geteuid() == pw->pw_uid)
            return 0;
        iotap_warn("-Z %s: not running as root; continuing as uid %u (nothing to drop)", user,
                   (unsigned)geteuid());
        return 0;
    }
    if (!pw) {
        iotap_warn("-Z %s: no such user", user);
        return -1;
    }
    g_uid = pw->pw_uid;
    g_gid = pw->pw_gid;
    nftw(t->sensordir, chown_one, 16, FTW_PHYS);
    /* ROOT itself when root owns it and others cannot enter it (e.g. just
     * created 0750 by us): USER could not reach its own directory. A shared
     * directory (others may enter, or sticky like /tmp) is left alone. */
    char root[sizeof t->sensordir];
    snprintf(root, sizeof root, "%s", t->sensordir);
    char *slash = strrchr(root, '/');
    struct stat st;
    if (slash && slash != root) {
        *slash = '\0';
        if (stat(root, &st) == 0 && st.st_uid == 0 && !(st.st_mode & (S_IXOTH | S_ISVTX)) &&
            chown(root, g_uid, g_gid) < 0)
            iotap_warn("-Z: chown %s: %s", root, strerror(errno));
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
        setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
        iotap_warn("-Z %s: cannot switch user: %s", user, strerror(errno));
        return -1;
    }
    /* Keep only what reopening a capture needs. */
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    uint32_t keep = (1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN);
    d[0].effective = d[0].permitted = keep;
    if (syscall(SYS_capset, &h, d) < 0)
        iotap_warn("-Z %s: cannot keep CAP_NET_RAW (%s); a lost interface cannot be reopened",
                   user, strerror(errno));
    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
    if (setuid(0) == 0) {
        iotap_warn("-Z %s: still able to become root", user);
        return -1;
    }
    return 0;
}
