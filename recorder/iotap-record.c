/*
 * iotap-record - the always-on recorder: one interface (or a capture file)
 * into rotated, hash-chained .pcap.zst segments. All logic is in lib/record/.
 */
#include "record/record.h"

int main(int argc, char **argv)
{
    return iotap_rec_main(argc, argv);
}
