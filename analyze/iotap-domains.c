/*
 * iotap-domains - One CSV row per device and name contacted (per device and remote address for flows without a name): registrable domain, how it was named, addresses, country and AS, protocols, packets and bytes each way, cleartext bytes.
 * The work is in lib/report/ (the pipeline shared by the five report
 * programs); this file only names the report.
 */
#include "report/report.h"

int main(int argc, char **argv)
{
    return iotap_report_main(argc, argv, IOTAP_REPORT_DOMAINS,
                             "One CSV row per device and name contacted (per device and remote address for flows without a name): registrable domain, how it was named, addresses, country and AS, protocols, packets and bytes each way, cleartext bytes.");
}
