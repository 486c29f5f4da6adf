/*
 * iotap-timeline - Packets and bytes each way per device (or per device and domain) in fixed time buckets.
 * The work is in lib/report/ (the pipeline shared by the five report
 * programs); this file only names the report.
 */
#include "report/report.h"

int main(int argc, char **argv)
{
    return iotap_report_main(argc, argv, IOTAP_REPORT_TIMELINE,
                             "Packets and bytes each way per device (or per device and domain) in fixed time buckets.");
}
