/* tenure.h: the C ABI of libtenurec, Tenure's model scorer for services written in any language.
 *
 * Load a model file written by `tenure train` once, then score precomputed feature rows (one at a time or
 * in batches) from as many threads as you like. The numbers are Tenure's own: the library runs the same
 * Swift `Scorer` as `tenure score`, so a row scores bit-for-bit as it does there.
 *
 * Build and link (from the repository root):
 *     swift build -c release --product tenurec          # → .build/release/libtenurec.so
 *     gcc -I include app.c -L .build/release -ltenurec -Wl,-rpath,$PWD/.build/release -o app
 *
 * Errors. Loading reports why it failed in a caller-supplied buffer (`err`, `errlen`); every other call that
 * can fail returns a `tenure_status` code, which `tenure_status_message` turns into text. There is no hidden
 * global error state, so error reporting is thread-safe by construction.
 *
 * Threads. A loaded `tenure_model` is immutable: any number of threads may call the scoring and accessor
 * functions on the same model at once. Only `tenure_model_free` must not race with other uses of that model
 * (free it after every thread is done with it).
 *
 * Missing values. A feature value of NaN means "missing" and is handled exactly as in training (trees send it
 * along the learned default branch; logistic models impute the training median plus a missing indicator).
 */
#ifndef TENURE_H
#define TENURE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque loaded model. Create with tenure_model_load, release with tenure_model_free. */
typedef struct tenure_model tenure_model;

/* Return codes of the functions that return int. */
typedef enum tenure_status {
    TENURE_OK = 0,
    /* A required pointer argument was NULL. */
    TENURE_ERR_NULL_ARGUMENT = 1,
    /* n_features differs from tenure_model_feature_count(model); nothing was written. */
    TENURE_ERR_FEATURE_COUNT = 2,
    /* n_rows × n_features does not fit in memory sizes; nothing was written. */
    TENURE_ERR_SIZE = 3
} tenure_status;

/* The Tenure version this library was built from, e.g. "0.1.0". A static string; never free it. */
const char *tenure_version(void);

/* A short English description of a tenure_status code (a static string; unknown codes get a generic text). */
const char *tenure_status_message(int status);

/* Loads a model file (`tenure train --out FILE`).
 * Returns NULL on any failure — missing or unreadable file, not a model, truncated, checksum mismatch (the file
 * was altered), a format version newer than this library, a malformed or inconsistent model — and then writes
 * a NUL-terminated, user-readable UTF-8 message into `err` (at most `errlen` bytes, cut at a character
 * boundary). `err` may be NULL or `errlen` 0 to ignore the message. Never crashes on a bad file.
 * Cost: reads and checksums the whole file, O(file size). */
tenure_model *tenure_model_load(const char *path, char *err, size_t errlen);

/* Releases a model. NULL is allowed. The model and every pointer it handed out become invalid. */
void tenure_model_free(tenure_model *model);

/* The number of features a row must have (0 for NULL). */
size_t tenure_model_feature_count(const tenure_model *model);

/* The name of feature i (0-based), in row order, e.g. "active_days_7d"; NULL when i is out of range or model
 * is NULL. The string stays valid as long as the model does. */
const char *tenure_model_feature_name(const tenure_model *model, size_t i);

/* The model kind: "logistic" or "gbdt" (NULL for NULL). Valid as long as the model. */
const char *tenure_model_kind(const tenure_model *model);

/* Scores one row of `n_features` doubles (NaN = missing) into *out_probability, the churn/activation
 * probability 1/(1+exp(-raw)). Returns TENURE_OK, or an error code without touching *out_probability.
 * No allocation. O(features) for logistic, O(trees × depth) for gbdt. */
int tenure_model_score(const tenure_model *model, const double *row, size_t n_features, double *out_probability);

/* Scores `n_rows` row-major rows of `n_features` doubles each (rows[r * n_features + j]) into out[0..n_rows).
 * n_rows may be 0 (then rows and out may be NULL). Results equal tenure_model_score row by row, bit for bit.
 * Uses all cores for large batches and copies the input once (8 · n_rows · n_features bytes).
 * Returns TENURE_OK, or an error code without writing to `out`. */
int tenure_model_score_batch(const tenure_model *model, const double *rows, size_t n_rows, size_t n_features,
                             double *out);

#ifdef __cplusplus
}
#endif

#endif /* TENURE_H */
