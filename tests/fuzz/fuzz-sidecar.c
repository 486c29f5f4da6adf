/*
 * fuzz-sidecar.c - the recorder's sidecar reader (lib/record/sidecar.c):
 * any YAML next to a segment must be read or refused without harm. What was
 * read is written back with the sidecar emitter and must read back the same
 * (iotap-segments reports from re-read sidecars).
 */
#include "fuzz.h"
#include "record/sidecar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[256];
    int fd = fz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    iotap_sidecar *s = malloc(sizeof *s), *s2 = malloc(sizeof *s2);
    iotap_sidecar_init(s);
    if (iotap_sidecar_read(path, s, err, sizeof err) == 0) {
        size_t len = 0;
        char *text = iotap_sidecar_format(s, &len);
        if (!text || strlen(text) != len)
            abort();
        char path2[64];
        int fd2 = fz_file((const uint8_t *)text, len, path2, sizeof path2);
        if (fd2 >= 0) {
            iotap_sidecar_init(s2);
            if (iotap_sidecar_read(path2, s2, err, sizeof err) != 0) {
                fprintf(stderr, "re-read of a formatted sidecar failed: %s\n%s", err, text);
                abort();
            }
            size_t len2 = 0;
            char *text2 = iotap_sidecar_format(s2, &len2);
            if (len2 != len || memcmp(text, text2, len) != 0) {
                fprintf(stderr, "sidecar changed on a round trip:\n%s---\n%s", text, text2);
                abort();
            }
            free(text2);
            close(fd2);
        }
        free(text);
    }
    free(s);
    free(s2);
    close(fd);
    return 0;
}
