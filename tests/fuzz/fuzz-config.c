/*
 * fuzz-config.c - the YAML configuration loader (lib/config.c, libyaml
 * underneath): any text as /etc/iotap/iotap.yaml must load or be refused
 * with a message, and free cleanly either way. A loaded configuration is
 * also asked for labels and devices.
 */
#include "fuzz.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    iotap_config cfg;
    if (iotap_config_load(path, &cfg) == 0) {
        for (size_t i = 0; i < cfg.nlabels; i++) {
            if (!cfg.labels[i].name)
                abort();
            uint8_t mac[6];
            if (iotap_config_device(&cfg, cfg.labels[i].name, mac) < 0
                || !iotap_config_label(&cfg, mac))
                abort();    /* every label names a device */
        }
        for (size_t i = 0; i < cfg.nlan; i++)
            if (cfg.lan[i].addr.family != 4 && cfg.lan[i].addr.family != 6)
                abort();
    }
    iotap_config_free(&cfg);
    close(fd);
    return 0;
}
