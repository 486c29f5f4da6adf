/*
 * iotap-dns - One CSV row per DNS query with its answers: time, device, question, type, rcode, answers (CNAME chain and addresses in order), TTL.
 * The work is in lib/report/ (the pipeline shared by the five report
 * programs); this file only names the report.
 */
#include "report/report.h"

int main(int argc, char **argv)
{
    return iotap_report_main(argc, argv, IOTAP_REPORT_DNS,
                             "One CSV row per DNS query with its answers: time, device, question, type, rcode, answers (CNAME chain and addresses in order), TTL.");
}
