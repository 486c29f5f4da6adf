/*
 * iotap-devices - One CSV row per device (unicast MAC on the LAN, the router excluded): vendor, label, DHCP host name and vendor class, addresses, Layer-2 packets and bytes each way, flows and distinct names contacted.
 * The work is in lib/report/ (the pipeline shared by the five report
 * programs); this file only names the report.
 */
#include "report/report.h"

int main(int argc, char **argv)
{
    return iotap_report_main(argc, argv, IOTAP_REPORT_DEVICES,
                             "One CSV row per device (unicast MAC on the LAN, the router excluded): vendor, label, DHCP host name and vendor class, addresses, Layer-2 packets and bytes each way, flows and distinct names contacted.");
}
