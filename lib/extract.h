/*
 * extract.h - writing extracted HTTP bodies beneath one directory, safely
 * and content-addressed.
 *
 * Names that come from the network never choose where a file goes. Every
 * file is created with openat() relative to the directory's descriptor,
 * O_CREAT|O_EXCL|O_NOFOLLOW, mode 0640: first as a temporary file, then
 * linked to its final name (linkat never follows or replaces what is there)
 * and the temporary name removed. A body whose SHA-256 was stored before is
 * not stored again; its earlier name is returned. When the final name is
 * taken by a regular file with the same bytes (an earlier run into the
 * same directory: opened O_RDONLY|O_NOFOLLOW, size and SHA-256 compared)
 * that file is reused; anything else under the name is left alone and the
 * body is stored as STEM-HASH~N.EXT.
 *
 * Final names: STEM-HASH.EXT, where STEM is the last URL path segment
 * (query dropped, percent-decoded, its own extension dropped) reduced to
 * [A-Za-z0-9._-] (anything else becomes '_', no leading dot, at most 100
 * bytes; "body" when nothing is left), HASH the first 12 hex digits of the
 * SHA-256, EXT from the Content-Type, else from the first bytes, else "bin".
 * A body with a Content-Range (a 206 range) is named STEM-HASH.bytes-F-L.EXT
 * (F and L the first and last byte positions), so a range is never taken
 * for the whole file.
 */
#ifndef IOTAP_EXTRACT_H
#define IOTAP_EXTRACT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IOTAP_EXTRACT_NAME_MAX 255

typedef struct iotap_extract iotap_extract;
typedef struct iotap_extract_file iotap_extract_file;

/* Opens (creating it, mode 0750, when missing) the output directory.
 * NULL after a message on failure. */
iotap_extract *iotap_extract_open(const char *dir);
/* A new temporary file; NULL after a message on failure. */
iotap_extract_file *iotap_extract_begin(iotap_extract *x);
/* Returns 0, or -1 once a write failed (reported once). */
int iotap_extract_write(iotap_extract_file *f, const void *p, size_t n);
/* Gives the temporary file its final name (or drops it when the same
 * content is already stored). name receives the name inside the directory.
 * Returns 0, or -1 after a message (the temporary file is removed). */
int iotap_extract_commit(iotap_extract *x, iotap_extract_file *f, const char *sha256,
                         const char *uri, const char *content_type, const char *content_range,
                         const uint8_t *head, size_t nhead, char name[IOTAP_EXTRACT_NAME_MAX + 1]);
/* Removes the temporary file. */
void iotap_extract_discard(iotap_extract *x, iotap_extract_file *f);
/* Files written, and bodies that were already stored. */
void iotap_extract_counts(const iotap_extract *x, uint64_t *written, uint64_t *duplicates);
void iotap_extract_close(iotap_extract *x);

/* The pieces of the naming rule (pure functions, for tests). */
const char *iotap_extract_ext(const char *content_type, const uint8_t *head, size_t nhead);
void iotap_extract_name(const char *uri, const char *sha256, const char *ext,
                        char out[IOTAP_EXTRACT_NAME_MAX + 1]);
/* ... with range ("bytes-0-999", from iotap_extract_range; NULL or "" for
 * none) before the extension. */
void iotap_extract_name_ranged(const char *uri, const char *sha256, const char *ext,
                               const char *range, char out[IOTAP_EXTRACT_NAME_MAX + 1]);
/* "bytes-F-L" from a Content-Range value "bytes F-L/LEN" (digits only);
 * "" when there is none or it is not of that form. */
void iotap_extract_range(const char *content_range, char *out, size_t outsz);
/* Media type of a Content-Type value without parameters, lower case
 * ("image/png"); "" when absent. */
void iotap_media_type(const char *content_type, char *out, size_t outsz);
/* Media type guessed from the first bytes, or NULL. */
const char *iotap_sniff_type(const uint8_t *head, size_t nhead);
#endif
