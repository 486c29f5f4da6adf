/*
 * oui.c - MAC vendor lookup from Debian's ieee-data CSV lists (see oui.h).
 *
 * Each list is parsed with libcsv (the organization names and addresses are
 * quoted when they hold commas). Assignments are kept in three sorted arrays,
 * one per prefix length (24-bit MA-L, 28-bit MA-M, 36-bit MA-S and IAB), and
 * looked up by binary search from the longest length down, so an MA-S block
 * inside an MA-L block (the IEEE's own 00:50:C2 and 70:B3:D5 ranges) names
 * the small assignee, not the owner of the big block. Names live in one
 * string pool.
 */
#include "oui.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

#define OUI_NAME_MAX 256        /* longer organization names are cut */

typedef struct oui_entry {
    uint64_t prefix;            /* the first `bits` bits of the MAC */
    uint32_t name;              /* offset in the pool */
} oui_entry;

typedef struct oui_table {
    oui_entry *v;
    size_t n, cap;
} oui_table;

enum { T24, T28, T36, NTABLES };
static const unsigned table_bits[NTABLES] = {24, 28, 36};

struct iotap_oui {
    oui_table t[NTABLES];
    char *pool;
    size_t pool_len, pool_cap;
};

/* Parser state for one file: the fields of the current row. */
struct row {
    iotap_oui *db;
    size_t field;
    char assignment[16];
    char name[OUI_NAME_MAX];
    bool assignment_ok;
};

static void on_field(void *s, size_t len, void *data)
{
    struct row *r = data;
    if (r->field == 1) {
        r->assignment_ok = len > 0 && len < sizeof r->assignment;
        if (r->assignment_ok) {
            memcpy(r->assignment, s, len);
            r->assignment[len] = '\0';
        }
    } else if (r->field == 2) {
        if (len >= sizeof r->name)
            len = sizeof r->name - 1;
        memcpy(r->name, s, len);
        r->name[len] = '\0';
    }
    r->field++;
}

static uint32_t pool_add(iotap_oui *db, const char *s)
{
    size_t n = strlen(s) + 1;
    if (db->pool_len + n > db->pool_cap) {
        db->pool_cap = (db->pool_len + n) * 2;
        db->pool = xrealloc(db->pool, db->pool_cap);
    }
    memcpy(db->pool + db->pool_len, s, n);
    uint32_t off = (uint32_t)db->pool_len;
    db->pool_len += n;
    return off;
}

static void on_row(int term, void *data)
{
    (void)term;
    struct row *r = data;
    size_t nfields = r->field;
    r->field = 0;
    if (nfields < 3 || !r->assignment_ok)
        return;
    /* The hex assignment's length says the prefix length: 6, 7 or 9 digits. */
    size_t digits = strlen(r->assignment);
    int t = digits == 6 ? T24 : digits == 7 ? T28 : digits == 9 ? T36 : -1;
    if (t < 0 || strspn(r->assignment, "0123456789abcdefABCDEF") != digits)
        return;     /* the header row, or junk */
    uint64_t prefix = strtoull(r->assignment, NULL, 16);
    /* Trim the white space some names carry. */
    char *name = r->name;
    while (*name == ' ' || *name == '\t')
        name++;
    size_t len = strlen(name);
    while (len && (name[len - 1] == ' ' || name[len - 1] == '\t' || name[len - 1] == '\r'))
        name[--len] = '\0';
    if (!*name)
        return;
    oui_table *tb = &r->db->t[t];
    if (tb->n == tb->cap) {
        tb->cap = tb->cap ? tb->cap * 2 : 1024;
        tb->v = xrealloc(tb->v, tb->cap * sizeof *tb->v);
    }
    tb->v[tb->n].prefix = prefix;
    tb->v[tb->n].name = pool_add(r->db, name);
    tb->n++;
}

static void load_file(iotap_oui *db, const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f) {
        iotap_warn("%s: %s (MAC vendor names will be missing)", path, strerror(errno));
        return;
    }
    struct csv_parser p;
    if (csv_init(&p, 0) != 0) {
        fclose(f);
        return;
    }
    struct row r = {.db = db};
    char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (csv_parse(&p, buf, got, on_field, on_row, &r) != got) {
            iotap_warn("%s: %s", path, csv_strerror(csv_error(&p)));
            break;
        }
    }
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    fclose(f);
}

static int cmp_entry(const void *a, const void *b)
{
    const oui_entry *x = a, *y = b;
    if (x->prefix != y->prefix)
        return x->prefix < y->prefix ? -1 : 1;
    /* Keep file order among duplicates so the first listed wins. */
    return x->name < y->name ? -1 : x->name > y->name;
}

iotap_oui *iotap_oui_load(const char *dir)
{
    if (!dir) {
        const char *env = getenv("IOTAP_IEEE_DATA");
        dir = env && *env ? env : IOTAP_IEEE_DATA_DIR;
    }
    iotap_oui *db = xcalloc(1, sizeof *db);
    struct stat st;
    errno = 0;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        /* One message for the directory rather than one per list. */
        iotap_warn("%s: %s (MAC vendor names will be missing; Debian package ieee-data)", dir,
                   errno ? strerror(errno) : "not a directory");
        return db;
    }
    static const char *const files[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        load_file(db, dir, files[i]);
    for (int t = 0; t < NTABLES; t++) {
        oui_table *tb = &db->t[t];
        if (tb->n)
            qsort(tb->v, tb->n, sizeof *tb->v, cmp_entry);
        /* Drop duplicates, keeping the first. */
        size_t w = 0;
        for (size_t i = 0; i < tb->n; i++)
            if (w == 0 || tb->v[w - 1].prefix != tb->v[i].prefix)
                tb->v[w++] = tb->v[i];
        tb->n = w;
    }
    return db;
}

static const oui_entry *find(const oui_table *tb, uint64_t key)
{
    size_t lo = 0, hi = tb->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tb->v[mid].prefix < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tb->n && tb->v[lo].prefix == key ? &tb->v[lo] : NULL;
}

const char *iotap_oui_lookup(const iotap_oui *db, const uint8_t mac[6])
{
    if (!db || iotap_mac_is_random(mac))
        return NULL;
    uint64_t m = 0;
    for (int i = 0; i < 6; i++)
        m = m << 8 | mac[i];
    for (int t = NTABLES - 1; t >= 0; t--) {
        const oui_entry *e = find(&db->t[t], m >> (48 - table_bits[t]));
        if (e)
            return db->pool + e->name;
    }
    return NULL;
}

void iotap_oui_free(iotap_oui *db)
{
    if (!db)
        return;
    for (int t = 0; t < NTABLES; t++)
        free(db->t[t].v);
    free(db->pool);
    free(db);
}
