/* test-record-naming.c - segment names, dated dirs, .seq state and the scan
 * that keeps sequence numbers unique when .seq is lost. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/recint.h"
#include "record/record.h"
#include "test.h"
#include "record/sidecar.h"
#include "util.h"

static void touch(const char *p)
{
    FILE *f = fopen(p, "w");
    if (f)
        fclose(f);
}

int main(void)
{
    char buf[IOTAP_REC_NAME_MAX];
    /* 2026-11-01T08:00:05Z = 1793520005 */
    iotap_rec_segname(buf, sizeof buf, "pi-home", 1793520005, 42);
    CHECK_STR(buf, "pi-home-20261101T080005Z-000042");
    int64_t sec;
    uint64_t seq;
    CHECK_EQ_I(iotap_rec_parse_segname("pi-home-20261101T080005Z-000042.pcap.zst", &sec, &seq), 0);
    CHECK_EQ_I(sec, 1793520005);
    CHECK_EQ_U(seq, 42);
    /* Sensor names with dashes, more than six digits, a path in front. */
    CHECK_EQ_I(iotap_rec_parse_segname("/x/a-b-c-19700101T000000Z-1234567.yaml", &sec, &seq), 0);
    CHECK_EQ_I(sec, 0);
    CHECK_EQ_U(seq, 1234567);
    /* A sensor name with dots ("pi.lan"): only our own extensions are cut. */
    iotap_rec_segname(buf, sizeof buf, "pi.lan", 1793520005, 3);
    CHECK_EQ_I(iotap_rec_parse_segname(buf, &sec, &seq), 0);
    CHECK_EQ_I(sec, 1793520005);
    CHECK_EQ_U(seq, 3);
    CHECK_EQ_I(iotap_rec_parse_segname("pi.lan-20261101T080005Z-000003.pcap.zst", &sec, &seq), 0);
    CHECK_EQ_U(seq, 3);
    CHECK_EQ_I(iotap_rec_parse_segname("a.b.c-20261101T080005Z-000004.yaml", &sec, &seq), 0);
    CHECK_EQ_U(seq, 4);
    CHECK_EQ_I(iotap_rec_parse_segname("a.b.c-20261101T080005Z-000005.yaml.tmp", &sec, &seq), 0);
    CHECK_EQ_U(seq, 5);
    CHECK_EQ_I(iotap_rec_parse_segname("a.b-20261101T080005Z-000006.recovering", &sec, &seq), 0);
    CHECK_EQ_U(seq, 6);
    CHECK_EQ_I(iotap_rec_parse_segname("a.b-20261101T080005Z-000006.pcap", &sec, &seq), -1);
    /* Not ours. */
    CHECK_EQ_I(iotap_rec_parse_segname("home.pcap", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("s-20261101T080005-000001.pcap.zst", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("s-20261301T080005Z-000001.pcap.zst", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("s-20261101T080005Z-00x001.pcap.zst", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("-20261101T080005Z-", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("", &sec, &seq), -1);
    CHECK_EQ_I(iotap_rec_parse_segname("s-20261101T080005Z-99999999999999999999999.pcap.zst", &sec, &seq), -1);

    iotap_rec_datedir(buf, sizeof buf, "/r/s", 1793520005);
    CHECK_STR(buf, "/r/s/2026/11/01");

    /* State: missing file = zero; save/load round trip; scan raises it. */
    char dir[600], p[900];
    snprintf(dir, sizeof dir, "%s/naming-%d/s", test_tmpdir(), (int)getpid());
    CHECK_EQ_I(iotap_rec_mkdirs(dir), 0);
    struct stat st;
    CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0750);
    iotap_rec_state s;
    iotap_rec_state_load(dir, "s", &s);
    CHECK_EQ_U(s.next_seq, 0);
    CHECK_STR(s.prev_sha256, "");
    s.next_seq = 7;
    memset(s.prev_sha256, 'a', 64);
    s.prev_sha256[64] = '\0';
    CHECK_EQ_I(iotap_rec_state_save(dir, &s), 0);
    iotap_rec_state t;
    iotap_rec_state_load(dir, "s", &t);
    CHECK_EQ_U(t.next_seq, 7);
    CHECK_STR(t.prev_sha256, s.prev_sha256);
    snprintf(p, sizeof p, "%s/2026/11/01", dir);
    CHECK_EQ_I(iotap_rec_mkdirs(p), 0);
    snprintf(p, sizeof p, "%s/2026/11/01/s-20261101T080005Z-000011.pcap.zst", dir);
    touch(p);
    iotap_rec_state_load(dir, "s", &t);
    CHECK_EQ_U(t.next_seq, 12);
    /* .seq one link behind (a crash after segment 11 was renamed into
     * place, before .seq was saved): the chain goes on from segment 11's
     * sidecar, not from .seq's older hash. */
    CHECK_STR(t.prev_sha256, s.prev_sha256);   /* no sidecar: .seq stays */
    iotap_sidecar sc;
    iotap_sidecar_init(&sc);
    memset(sc.sha256, 'b', 64);
    sc.sha256[64] = '\0';
    snprintf(p, sizeof p, "%s/2026/11/01/s-20261101T080005Z-000011.yaml", dir);
    CHECK_EQ_I(iotap_sidecar_write(p, &sc), 0);
    iotap_rec_state_load(dir, "s", &t);
    CHECK_STR(t.prev_sha256, sc.sha256);
    /* .seq newer than every segment left (the workstation pulled them): .seq wins. */
    s.next_seq = 30;
    CHECK_EQ_I(iotap_rec_state_save(dir, &s), 0);
    iotap_rec_state_load(dir, "s", &t);
    CHECK_EQ_U(t.next_seq, 30);
    CHECK_STR(t.prev_sha256, s.prev_sha256);
    snprintf(p, sizeof p, "%s/2026/11/01/s-20261101T080005Z-000011.yaml", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/.seq", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/.partial", dir);
    mkdir(p, 0750);
    snprintf(p, sizeof p, "%s/.partial/s-20261101T090000Z-000020.pcap.zst", dir);
    touch(p);
    iotap_rec_state_load(dir, "s", &t);
    CHECK_EQ_U(t.next_seq, 21);
    CHECK_STR(t.prev_sha256, "");
    /* A damaged .seq is ignored, not trusted. */
    snprintf(p, sizeof p, "%s/.seq", dir);
    FILE *f = fopen(p, "w");
    fputs("garbage\n", f);
    fclose(f);
    iotap_rec_state_load(dir, "s", &t);
    CHECK_EQ_U(t.next_seq, 21);

    /* Publishing never replaces a file that is already there. */
    char a[900], b[900];
    snprintf(a, sizeof a, "%s/rn-a", dir);
    snprintf(b, sizeof b, "%s/rn-b", dir);
    f = fopen(a, "w");
    fputs("new\n", f);
    fclose(f);
    f = fopen(b, "w");
    fputs("old\n", f);
    fclose(f);
    errno = 0;
    CHECK_EQ_I(iotap_rec_rename_noreplace(a, b), -1);
    CHECK_EQ_I(errno, EEXIST);
    char line[16] = "";
    f = fopen(b, "r");
    CHECK(f && fgets(line, sizeof line, f));
    fclose(f);
    CHECK_STR(line, "old\n");
    CHECK(access(a, F_OK) == 0);
    unlink(b);
    CHECK_EQ_I(iotap_rec_rename_noreplace(a, b), 0);
    CHECK(access(a, F_OK) != 0 && access(b, F_OK) == 0);
    /* A crash between link() and unlink() of the fallback: both names, one file. */
    CHECK_EQ_I(link(b, a), 0);
    CHECK_EQ_I(iotap_rec_rename_noreplace(a, b), 0);
    CHECK(access(a, F_OK) != 0 && access(b, F_OK) == 0);

    /* One recorder per sensor directory: the second tree_init is refused. */
    char root[700];
    snprintf(root, sizeof root, "%s/naming-%d/lock", test_tmpdir(), (int)getpid());
    iotap_rec_tree t1, t2;
    CHECK_EQ_I(iotap_rec_tree_init(&t1, root, "pi.lan"), 0);
    errno = 0;
    CHECK_EQ_I(iotap_rec_tree_init(&t2, root, "pi.lan"), -1);
    CHECK_EQ_I(errno, EBUSY);
    CHECK_EQ_I(iotap_rec_tree_init(&t2, root, "other"), 0);
    iotap_rec_tree_close(&t2);
    iotap_rec_tree_close(&t1);
    CHECK_EQ_I(iotap_rec_tree_init(&t2, root, "pi.lan"), 0);
    iotap_rec_tree_close(&t2);
    CHECK_EQ_I(iotap_rec_tree_init(&t2, root, ".hidden"), -1);
    CHECK_EQ_I(iotap_rec_tree_init(&t2, root, "a/b"), -1);
    return TEST_DONE();
}
