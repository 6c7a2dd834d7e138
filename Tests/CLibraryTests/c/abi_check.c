/* abi_check: drives libtenurec's edge cases from C for CLibraryTests (compiled with gcc by the test).
 *
 *   abi_check GOOD_MODEL [BAD_FILE...]
 *
 * For the good model it checks argument validation (wrong lengths, NULLs, absurd sizes, out-of-range names),
 * that nothing is written on error, and that missing values score. Each BAD_FILE must fail to load with a
 * message; it prints `bad <path>: <message>` per file. Every failed check prints `FAIL <what>`; exit 1 if any.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tenure.h"

static int failures = 0;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s (line %d)\n", #cond, __LINE__); failures++; } } while (0)

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s GOOD_MODEL [BAD_FILE...]\n", argv[0]); return 64; }
    printf("version %s\n", tenure_version());

    char err[512] = "untouched";
    tenure_model *m = tenure_model_load(argv[1], err, sizeof err);
    if (!m) { printf("FAIL loading %s: %s\n", argv[1], err); return 1; }
    CHECK(strcmp(err, "untouched") == 0);  /* success leaves the buffer alone */

    size_t n = tenure_model_feature_count(m);
    printf("kind %s features %zu\n", tenure_model_kind(m), n);
    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) CHECK(tenure_model_feature_name(m, i) != NULL && tenure_model_feature_name(m, i)[0] != 0);
    CHECK(tenure_model_feature_name(m, n) == NULL);
    CHECK(tenure_model_feature_name(m, SIZE_MAX) == NULL);
    CHECK(tenure_model_feature_name(NULL, 0) == NULL);
    CHECK(tenure_model_feature_count(NULL) == 0);
    CHECK(tenure_model_kind(NULL) == NULL);

    /* All missing: scores (NaN is a value, not an error) to a probability strictly inside (0, 1). */
    double *row = malloc((n + 1) * sizeof *row);
    for (size_t j = 0; j <= n; j++) row[j] = NAN;
    double p = -1;
    CHECK(tenure_model_score(m, row, n, &p) == TENURE_OK);
    CHECK(p > 0 && p < 1);
    printf("all-missing %.17g\n", p);

    /* Wrong lengths and NULLs: an error code and the output untouched. */
    double untouched = 42;
    CHECK(tenure_model_score(m, row, n - 1, &untouched) == TENURE_ERR_FEATURE_COUNT);
    CHECK(tenure_model_score(m, row, n + 1, &untouched) == TENURE_ERR_FEATURE_COUNT);
    CHECK(tenure_model_score(m, row, 0, &untouched) == TENURE_ERR_FEATURE_COUNT);
    CHECK(tenure_model_score(m, NULL, n, &untouched) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(tenure_model_score(NULL, row, n, &untouched) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(tenure_model_score(m, row, n, NULL) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(untouched == 42);

    double outs[3] = { 42, 42, 42 };
    double *rows = malloc(3 * n * sizeof *rows);
    for (size_t j = 0; j < 3 * n; j++) rows[j] = (double)(j % 7);
    CHECK(tenure_model_score_batch(m, rows, 3, n - 1, outs) == TENURE_ERR_FEATURE_COUNT);
    CHECK(tenure_model_score_batch(m, rows, SIZE_MAX / 2, n, outs) == TENURE_ERR_SIZE);
    CHECK(tenure_model_score_batch(m, rows, SIZE_MAX, n, outs) == TENURE_ERR_SIZE);
    CHECK(tenure_model_score_batch(m, NULL, 3, n, outs) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(tenure_model_score_batch(m, rows, 3, n, NULL) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(tenure_model_score_batch(NULL, rows, 3, n, outs) == TENURE_ERR_NULL_ARGUMENT);
    CHECK(outs[0] == 42 && outs[1] == 42 && outs[2] == 42);
    CHECK(tenure_model_score_batch(m, NULL, 0, n, NULL) == TENURE_OK);  /* empty batch */
    CHECK(tenure_model_score_batch(m, rows, 3, n, outs) == TENURE_OK);
    for (int r = 0; r < 3; r++) {
        double q = -1;
        CHECK(tenure_model_score(m, rows + r * n, n, &q) == TENURE_OK);
        CHECK(q == outs[r]);
    }

    for (int s = 0; s <= 4; s++) CHECK(tenure_status_message(s) != NULL && tenure_status_message(s)[0] != 0);
    CHECK(tenure_status_message(-7) != NULL);
    printf("status %d %s\n", TENURE_ERR_FEATURE_COUNT, tenure_status_message(TENURE_ERR_FEATURE_COUNT));
    tenure_model_free(m);
    tenure_model_free(NULL);

    /* Bad files: NULL and a message, never a crash. */
    for (int k = 2; k < argc; k++) {
        char msg[512];
        msg[0] = 0;
        tenure_model *bad = tenure_model_load(argv[k], msg, sizeof msg);
        CHECK(bad == NULL);
        CHECK(msg[0] != 0);
        printf("bad %s: %s\n", argv[k], msg);
        /* A tiny buffer gets a NUL-terminated prefix; a NULL buffer is allowed. */
        char tiny[6];
        memset(tiny, 'x', sizeof tiny);
        CHECK(tenure_model_load(argv[k], tiny, sizeof tiny) == NULL);
        CHECK(memchr(tiny, 0, sizeof tiny) != NULL);
        CHECK(tenure_model_load(argv[k], NULL, 0) == NULL);
        CHECK(tenure_model_load(argv[k], tiny, 0) == NULL);
        tenure_model_free(bad);
    }
    CHECK(tenure_model_load(NULL, err, sizeof err) == NULL);
    printf("null path: %s\n", err);

    free(row); free(rows);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
