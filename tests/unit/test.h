/*
 * test.h - the few assertion macros the unit tests use.
 *
 * A unit test is one program (tests/unit/test-NAME.c) whose main() calls
 * CHECK*() as often as it likes and ends with `return TEST_DONE();`: exit 0
 * when every check held, 1 otherwise. Each failed check prints file:line and
 * the values, so the log in build/test-logs/ says what broke.
 */
#ifndef IOTAP_TEST_H
#define IOTAP_TEST_H
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>

extern int test_failures, test_checks;
/* Directory of the current test's scratch space ($TMPDIR or /tmp). */
const char *test_tmpdir(void);
/* Path of ../shared/corpus, or NULL when absent. */
const char *test_corpus(void);

#define CHECK(cond) do { test_checks++; if (!(cond)) { test_failures++; \
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ_U(a, b) do { uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b); test_checks++; \
    if (a_ != b_) { test_failures++; fprintf(stderr, "%s:%d: %s == %s failed: %" PRIu64 " != %" PRIu64 "\n", \
    __FILE__, __LINE__, #a, #b, a_, b_); } } while (0)
#define CHECK_EQ_I(a, b) do { int64_t a_ = (int64_t)(a), b_ = (int64_t)(b); test_checks++; \
    if (a_ != b_) { test_failures++; fprintf(stderr, "%s:%d: %s == %s failed: %" PRId64 " != %" PRId64 "\n", \
    __FILE__, __LINE__, #a, #b, a_, b_); } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); test_checks++; \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) { test_failures++; fprintf(stderr, \
    "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, #b, \
    a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } } while (0)
#define TEST_DONE() (fprintf(stderr, "%d checks, %d failed\n", test_checks, test_failures), \
    test_failures ? 1 : 0)
#endif
