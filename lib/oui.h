/*
 * oui.h - MAC vendor names from Debian's ieee-data CSV lists (MA-L oui.csv,
 * MA-M mam.csv, MA-S oui36.csv, and iab.csv), read at run time. The longest
 * matching assignment wins (36-bit over 28-bit over 24-bit). Locally
 * administered (randomized) addresses have no vendor.
 */
#ifndef IOTAP_OUI_H
#define IOTAP_OUI_H
#include <stdint.h>

#define IOTAP_IEEE_DATA_DIR "/usr/share/ieee-data"

typedef struct iotap_oui iotap_oui;
/* Loads the lists in dir (NULL = IOTAP_IEEE_DATA_DIR, or $IOTAP_IEEE_DATA).
 * Missing lists give a warning and an empty table, never NULL. */
iotap_oui *iotap_oui_load(const char *dir);
/* Organization name, or NULL. */
const char *iotap_oui_lookup(const iotap_oui *db, const uint8_t mac[6]);
void iotap_oui_free(iotap_oui *db);
#endif
