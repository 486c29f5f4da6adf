/* testlib.c - state and helpers shared by every unit test (see test.h). */
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

int test_failures, test_checks;

const char *test_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

const char *test_corpus(void)
{
    const char *c = getenv("IOTAP_CORPUS");
    return c && *c && access(c, R_OK) == 0 ? c : NULL;
}
