/*
 * fuzz-capture.c - the capture reader (lib/capture.c, pcapfile, pcapng,
 * instream) over one input file: classic pcap in any byte order and
 * precision, pcapng, and either of them inside zstd or gzip framing. The
 * bytes are handed over as a memfd, since the reader takes file names.
 */
#include "fuzz.h"
#include "capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    const char *inputs[] = { path };
    iotap_reader *r = iotap_reader_open(inputs, 1);
    iotap_packet p;
    volatile uint32_t sink = 0;
    while (iotap_reader_next(r, &p) == 1) {
        /* Touch every byte handed out: they must all be readable. */
        for (uint32_t i = 0; i < p.caplen; i++)
            sink += p.data[i];
    }
    (void)iotap_reader_damaged(r);
    (void)iotap_reader_bytes_read(r);
    iotap_reader_close(r);
    close(fd);
    (void)sink;
    return 0;
}
