/*
 * test-oui.c - lib/oui: longest-prefix wins over a fixture directory the
 * test writes itself (MA-L, MA-M, MA-S, IAB, quoted names, CRLF), randomized
 * MACs have no vendor, a missing directory gives an empty table, and lookups
 * against Debian's real lists agree with the lists themselves (read here by
 * a separate, naive line reader).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "oui.h"
#include "test.h"
#include "util.h"

static void write_fixture(const char *dir, const char *name, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f) {
        perror(p);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static const char *look(const iotap_oui *db, const char *mac)
{
    uint8_t m[6];
    if (iotap_parse_mac(mac, m) != 0)
        return "(bad mac in test)";
    return iotap_oui_lookup(db, m);
}

static void test_fixture(void)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/ieee", test_tmpdir());
    mkdir(dir, 0755);
    write_fixture(dir, "oui.csv",
                  "Registry,Assignment,Organization Name,Organization Address\n"
                  "MA-L,001122,Big Co,1 Road Town US 12345 \n"
                  "MA-L,0050C2,IEEE Registration Authority,445 Hoes Lane Piscataway NJ US 08554 \n"
                  "MA-L,A8BBCC,\"Acme, \"\"Quoted\"\" Ltd\",\"Street 1, Town\"\n"
                  "MA-L,A0B1C2,  Spaced Name  ,x\n"
                  "MA-L,ZZZZZZ,Junk,x\n"
                  "MA-L,123,Too Short,x\n");
    write_fixture(dir, "mam.csv",
                  "Registry,Assignment,Organization Name,Organization Address\r\n"
                  "MA-M,0011223,Mid Co,Somewhere\r\n"
                  "MA-M,0011225,Private,\r\n");
    write_fixture(dir, "oui36.csv",
                  "Registry,Assignment,Organization Name,Organization Address\n"
                  "MA-S,001122334,Small Co,\"Polbina st., 3/1 Moscow  RU 109388 \"\n");
    write_fixture(dir, "iab.csv",
                  "Registry,Assignment,Organization Name,Organization Address\n"
                  "IAB,0050C2123,IAB Co,Addr\n");
    iotap_oui *db = iotap_oui_load(dir);
    CHECK(db != NULL);
    CHECK_STR(look(db, "00:11:22:33:44:55"), "Small Co");      /* 36 bits */
    CHECK_STR(look(db, "00:11:22:33:4f:ff"), "Small Co");
    CHECK_STR(look(db, "00:11:22:33:55:55"), "Mid Co");        /* 28 bits */
    CHECK_STR(look(db, "00:11:22:3f:ff:ff"), "Mid Co");
    CHECK_STR(look(db, "00:11:22:40:00:00"), "Big Co");        /* 24 bits */
    CHECK_STR(look(db, "00:11:22:50:00:00"), "Private");
    CHECK_STR(look(db, "00:50:c2:12:3a:bc"), "IAB Co");
    CHECK_STR(look(db, "00:50:c2:12:4a:bc"), "IEEE Registration Authority");
    CHECK_STR(look(db, "a8:bb:cc:00:00:01"), "Acme, \"Quoted\" Ltd");
    CHECK_STR(look(db, "a0:b1:c2:00:00:01"), "Spaced Name");
    CHECK(look(db, "00:11:23:00:00:00") == NULL);
    CHECK(look(db, "00:00:00:00:00:00") == NULL);
    CHECK(look(db, "ff:ff:ff:ff:ff:ff") == NULL);
    /* Locally administered: same OUI bits but the 0x02 bit set. */
    CHECK(look(db, "02:11:22:33:44:55") == NULL);
    iotap_oui_free(db);

    /* $IOTAP_IEEE_DATA is used when no directory is given. */
    setenv("IOTAP_IEEE_DATA", dir, 1);
    db = iotap_oui_load(NULL);
    CHECK_STR(look(db, "00:11:22:33:55:55"), "Mid Co");
    iotap_oui_free(db);
    unsetenv("IOTAP_IEEE_DATA");

    /* Missing directory: warnings, an empty table, never NULL. */
    char none[1100];
    snprintf(none, sizeof none, "%s/no-such-dir", test_tmpdir());
    db = iotap_oui_load(none);
    CHECK(db != NULL);
    CHECK(look(db, "b8:27:eb:00:00:01") == NULL);
    iotap_oui_free(db);
    CHECK(iotap_oui_lookup(NULL, (const uint8_t[6]){0}) == NULL);
}

/* Prefixes (24-bit, as 6 hex digits) that have a longer assignment inside,
 * from the MA-M/MA-S/IAB lists; samples under them are skipped. */
static char (*shadowed)[7];
static size_t nshadowed;

static void note_shadowed(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[2048];
    while (f && fgets(line, sizeof line, f)) {
        char *c = strchr(line, ',');
        if (!c || strlen(c + 1) < 6)
            continue;
        shadowed = xrealloc(shadowed, (nshadowed + 1) * sizeof *shadowed);
        memcpy(shadowed[nshadowed], c + 1, 6);
        shadowed[nshadowed++][6] = '\0';
    }
    if (f)
        fclose(f);
}

static bool is_shadowed(const char *hex6)
{
    for (size_t i = 0; i < nshadowed; i++)
        if (!strcasecmp(shadowed[i], hex6))
            return true;
    return false;
}

static void test_debian_lists(void)
{
    const char *dir = IOTAP_IEEE_DATA_DIR;
    char p[256];
    snprintf(p, sizeof p, "%s/oui.csv", dir);
    FILE *f = fopen(p, "r");
    if (!f) {
        fprintf(stderr, "skipping real-list checks: %s missing\n", p);
        return;
    }
    iotap_oui *db = iotap_oui_load(dir);
    CHECK_STR(look(db, "b8:27:eb:12:34:56"), "Raspberry Pi Foundation");
    /* Compare with every 50th plain (unquoted) MA-L line of the file. */
    note_shadowed(IOTAP_IEEE_DATA_DIR "/mam.csv");
    note_shadowed(IOTAP_IEEE_DATA_DIR "/oui36.csv");
    note_shadowed(IOTAP_IEEE_DATA_DIR "/iab.csv");
    char line[2048];
    size_t n = 0, checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (n++ % 50 || strncmp(line, "MA-L,", 5) != 0 || strchr(line, '"'))
            continue;
        char hex[7], name[512];
        if (sscanf(line, "MA-L,%6[0-9A-Fa-f],%511[^,]", hex, name) != 2 || is_shadowed(hex))
            continue;
        size_t len = strlen(name);
        while (len && name[len - 1] == ' ')
            name[--len] = '\0';
        char mac[32];
        snprintf(mac, sizeof mac, "%.2s:%.2s:%.2s:01:02:03", hex, hex + 2, hex + 4);
        uint8_t m[6];
        iotap_parse_mac(mac, m);
        if (iotap_mac_is_random(m))
            continue;
        CHECK_STR(iotap_oui_lookup(db, m), name);
        checked++;
    }
    fclose(f);
    CHECK(checked > 100);
    fprintf(stderr, "%zu real MA-L entries compared\n", checked);
    /* An MA-S entry of the real list: its name from the file. */
    f = fopen(IOTAP_IEEE_DATA_DIR "/oui36.csv", "r");
    size_t ms = 0;
    while (f && fgets(line, sizeof line, f) && ms < 20) {
        char hex[10], name[512];
        if (strchr(line, '"') || sscanf(line, "MA-S,%9[0-9A-Fa-f],%511[^,]", hex, name) != 2)
            continue;
        size_t len = strlen(name);
        while (len && name[len - 1] == ' ')
            name[--len] = '\0';
        char mac[32];
        snprintf(mac, sizeof mac, "%.2s:%.2s:%.2s:%.2s:%c0:07", hex, hex + 2, hex + 4, hex + 6,
                 hex[8]);
        CHECK_STR(look(db, mac), name);
        ms++;
    }
    if (f)
        fclose(f);
    CHECK_EQ_U(ms, 20);
    /* A randomized MAC never has a vendor, even over a real OUI. */
    CHECK(look(db, "ba:27:eb:12:34:56") == NULL);
    iotap_oui_free(db);
    free(shadowed);
}

int main(void)
{
    iotap_set_progname("test-oui");
    test_fixture();
    test_debian_lists();
    return TEST_DONE();
}
