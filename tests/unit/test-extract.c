/* test-extract.c - names from the network never choose where a file goes:
 * traversal and control characters in URLs, symlinks planted in the output
 * directory, existing files, the 255-byte limit, mode 0640, content
 * addressing (one file per distinct body). */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "extract.h"
#include "httpbody.h"

static const char *SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static bool safe_name(const char *n)
{
    if (!*n || strlen(n) > 255 || n[0] == '.' || strstr(n, "..") || strchr(n, '/'))
        return false;
    for (const char *p = n; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
            return false;
    return true;
}

static void test_names(void)
{
    char out[256];
    iotap_extract_name("/images/logo.png?x=1#f", SHA, "png", out);
    CHECK_STR(out, "logo-0123456789ab.png");
    iotap_extract_name("http://evil.example/a/b/thumb.jpg", SHA, "jpg", out);
    CHECK_STR(out, "thumb-0123456789ab.jpg");
    iotap_extract_name("/", SHA, "html", out);
    CHECK_STR(out, "body-0123456789ab.html");
    iotap_extract_name(NULL, SHA, "bin", out);
    CHECK_STR(out, "body-0123456789ab.bin");
    const char *evil[] = {
        "/..", "/../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/a/..%2f..%2fx",
        "/..%00.png", "/%0a%0d%1b[31m.txt", "/...", "/.hidden", "/a\\..\\..\\b",
        "/%2F%2F%2F", "/\xff\xfe", NULL,
    };
    for (int i = 0; evil[i]; i++) {
        iotap_extract_name(evil[i], SHA, "bin", out);
        CHECK(safe_name(out));
        if (!safe_name(out))
            fprintf(stderr, "unsafe name from %s: %s\n", evil[i], out);
    }
    char longuri[5000] = "/";
    memset(longuri + 1, 'A', 4000);
    longuri[4001] = 0;
    iotap_extract_name(longuri, SHA, "averyveryverylongextensionthatgoesonandon", out);
    CHECK(strlen(out) <= 255);
    CHECK(safe_name(out));
    /* The extension is never taken from the URL. */
    iotap_extract_name("/x.sh", SHA, "png", out);
    CHECK_STR(out, "x-0123456789ab.png");

    CHECK_STR(iotap_extract_ext("image/jpeg; charset=binary", NULL, 0), "jpg");
    CHECK_STR(iotap_extract_ext("Application/JSON", NULL, 0), "json");
    CHECK_STR(iotap_extract_ext(NULL, (const uint8_t *)"\x89PNG\r\n\x1a\n....", 12), "png");
    CHECK_STR(iotap_extract_ext("application/octet-stream", (const uint8_t *)"\xff\xd8\xff\xe0", 4), "jpg");
    CHECK_STR(iotap_extract_ext("application/x-unknown", (const uint8_t *)"zz", 2), "bin");
    CHECK_STR(iotap_extract_ext("text/../../x", NULL, 0), "bin");
    char mt[64];
    iotap_media_type(" Image/PNG ; q=1", mt, sizeof mt);
    CHECK_STR(mt, "image/png");
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static int store(iotap_extract *x, const char *uri, const char *body, char name[256])
{
    char sha[65];
    iotap_sha256_hex(body, strlen(body), sha);
    iotap_extract_file *f = iotap_extract_begin(x);
    if (!f)
        return -1;
    iotap_extract_write(f, body, strlen(body));
    return iotap_extract_commit(x, f, sha, uri, "text/plain", NULL, (const uint8_t *)body, strlen(body), name);
}

static void test_files(void)
{
    char dir[512], outside[512], path[1024];
    snprintf(dir, sizeof dir, "%s/extract-out", test_tmpdir());
    snprintf(outside, sizeof outside, "%s/outside-target", test_tmpdir());
    unlink(outside);
    iotap_extract *x = iotap_extract_open(dir);
    CHECK(x != NULL);
    if (!x)
        return;
    char name[256];
    /* Plant a symlink where the first body's name will be. */
    char sha[65], planted[256];
    iotap_sha256_hex("hello\n", 6, sha);
    iotap_extract_name("/greeting.txt", sha, "txt", planted);
    snprintf(path, sizeof path, "%s/%s", dir, planted);
    CHECK(symlink(outside, path) == 0);
    CHECK_EQ_I(store(x, "/greeting.txt", "hello\n", name), 0);
    CHECK(strcmp(name, planted) != 0);      /* went around the link */
    CHECK(access(outside, F_OK) != 0);      /* nothing written through it */
    struct stat st;
    FILE *fp;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
    CHECK_EQ_U(st.st_mode & 0777, 0640 & ~0u);
    CHECK_EQ_U(st.st_size, 6);
    /* Same body again (other URL): stored once, same name. */
    char name2[256];
    CHECK_EQ_I(store(x, "/other/copy.txt", "hello\n", name2), 0);
    CHECK_STR(name2, name);
    /* Traversal in the URL stays inside. */
    CHECK_EQ_I(store(x, "/../../../../tmp/pwn", "evil\n", name2), 0);
    CHECK(safe_name(name2));
    snprintf(path, sizeof path, "%s/%s", dir, name2);
    CHECK(access(path, F_OK) == 0);
    uint64_t w, d;
    iotap_extract_counts(x, &w, &d);
    CHECK_EQ_U(w, 2);
    CHECK_EQ_U(d, 1);
    /* Temporary files are gone; the link, two files remain. */
    CHECK_EQ_I(count_entries(dir), 3);
    /* A discarded body leaves nothing. */
    iotap_extract_file *f = iotap_extract_begin(x);
    iotap_extract_write(f, "x", 1);
    iotap_extract_discard(x, f);
    CHECK_EQ_I(count_entries(dir), 3);
    iotap_extract_close(x);
    /* A second run over the same directory: a file already holding the
     * same bytes under the name is reused (no copy, same name). */
    x = iotap_extract_open(dir);
    CHECK_EQ_I(store(x, "/../../../../tmp/pwn", "evil\n", name), 0);
    CHECK_STR(name, name2);
    CHECK_EQ_I(count_entries(dir), 3);
    /* Other bytes under the name (same size, or not): left alone, the
     * body goes beside it, never over it. */
    char want[256], sha2[65];
    iotap_sha256_hex("same\n", 5, sha2);
    iotap_extract_name("/s.txt", sha2, "txt", want);
    snprintf(path, sizeof path, "%s/%s", dir, want);
    fp = fopen(path, "w");
    if (fp) {
        fputs("SAME\n", fp);   /* same size, other bytes */
        fclose(fp);
    }
    CHECK_EQ_I(store(x, "/s.txt", "same\n", name), 0);
    CHECK(strcmp(name, want) != 0 && strstr(name, "~1") != NULL);
    iotap_sha256_hex("longer\n", 7, sha2);
    iotap_extract_name("/l.txt", sha2, "txt", want);
    snprintf(path, sizeof path, "%s/%s", dir, want);
    CHECK(mkfifo(path, 0600) == 0);     /* a FIFO: never opened for long */
    CHECK_EQ_I(store(x, "/l.txt", "longer\n", name), 0);
    CHECK(strstr(name, "~1") != NULL);
    iotap_extract_close(x);
    /* A third run: the planted symlink is still not followed nor reused
     * (its target holds nothing), the real file is. */
    x = iotap_extract_open(dir);
    CHECK_EQ_I(store(x, "/greeting.txt", "hello\n", name2), 0);
    CHECK(strcmp(name2, planted) != 0);
    CHECK(access(outside, F_OK) != 0);
    int before = count_entries(dir);
    CHECK_EQ_I(store(x, "/s.txt", "same\n", name), 0);
    CHECK(strstr(name, "~1") != NULL);      /* the copy of the last run */
    CHECK_EQ_I(count_entries(dir), before);
    iotap_extract_close(x);
    /* A symlink as the output directory itself is the user's choice and is
     * followed; a file is refused. */
    snprintf(path, sizeof path, "%s/a-file", test_tmpdir());
    fp = fopen(path, "w");
    if (fp)
        fclose(fp);
    CHECK(iotap_extract_open(path) == NULL);
}

int main(void)
{
    umask(022);
    test_names();
    test_files();
    return TEST_DONE();
}
