/*
 * iotap-flows - One CSV row per flow (like Zeek's conn.log) with the device's MAC and the flow's name.
 * The work is in lib/report/ (the pipeline shared by the five report
 * programs); this file only names the report.
 */
#include "report/report.h"

int main(int argc, char **argv)
{
    return iotap_report_main(argc, argv, IOTAP_REPORT_FLOWS,
                             "One CSV row per flow (like Zeek's conn.log) with the device's MAC and the flow's name.");
}
