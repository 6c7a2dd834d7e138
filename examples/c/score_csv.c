/* score_csv: scores every row of a feature CSV (`tenure features` output) with a Tenure model through
 * libtenurec, matching CSV columns to the model's features by name; prints `user_id,probability`.
 *
 *   gcc -std=c11 -O2 -I include examples/c/score_csv.c -L .build/release -ltenurec \
 *       -Wl,-rpath,$PWD/.build/release -lpthread -o score_csv
 *   ./score_csv models/demo-churn-gbdt.tenure features.csv [THREADS]
 *
 * Empty fields and "nan" are missing values (NaN). Every row is scored three ways — one at a time, as one
 * batch, and from THREADS threads at once (default 4) on the same model — and the program fails (exit 1)
 * unless all three agree bit for bit. Exit 2: the model or the CSV could not be read (message on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tenure.h"

typedef struct {
    size_t rows, features;
    double *x;         /* rows × features, row-major, in the model's feature order */
    char **user_ids;   /* first CSV column */
} table;

/* Splits `line` (modified in place) at commas; returns the number of fields (at most `max`). */
static size_t split(char *line, char **fields, size_t max) {
    size_t n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line; n < max; ) {
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) break;
        *comma = 0;
        p = comma + 1;
    }
    return n;
}

static double parse_value(const char *s, int *ok) {
    if (*s == 0 || strcmp(s, "nan") == 0) return NAN;
    char *end;
    double v = strtod(s, &end);
    *ok = *end == 0;
    return v;
}

/* Reads the CSV; columns are looked up by the model's feature names. Returns 0 on success. */
static int read_table(const char *path, const tenure_model *model, table *t) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "%s: cannot open\n", path); return -1; }
    char *line = NULL;
    size_t cap = 0, max_fields = 4096;
    char **fields = malloc(max_fields * sizeof *fields);
    t->features = tenure_model_feature_count(model);
    size_t *column = malloc(t->features * sizeof *column);
    if (getline(&line, &cap, f) < 0) { fprintf(stderr, "%s: empty file\n", path); return -1; }
    size_t header_fields = split(line, fields, max_fields);
    for (size_t j = 0; j < t->features; j++) {
        const char *name = tenure_model_feature_name(model, j);
        column[j] = 0;
        for (size_t c = 1; c < header_fields; c++)
            if (strcmp(fields[c], name) == 0) { column[j] = c; break; }
        if (column[j] == 0) { fprintf(stderr, "%s: no column for the model's feature '%s'\n", path, name); return -1; }
    }
    size_t row_cap = 1024;
    t->rows = 0;
    t->x = malloc(row_cap * t->features * sizeof *t->x);
    t->user_ids = malloc(row_cap * sizeof *t->user_ids);
    for (size_t line_no = 2; getline(&line, &cap, f) >= 0; line_no++) {
        size_t n = split(line, fields, max_fields);
        if (n != header_fields) { fprintf(stderr, "%s:%zu: %zu fields, header has %zu\n", path, line_no, n, header_fields); return -1; }
        if (t->rows == row_cap) {
            row_cap *= 2;
            t->x = realloc(t->x, row_cap * t->features * sizeof *t->x);
            t->user_ids = realloc(t->user_ids, row_cap * sizeof *t->user_ids);
        }
        for (size_t j = 0; j < t->features; j++) {
            int ok = 1;
            t->x[t->rows * t->features + j] = parse_value(fields[column[j]], &ok);
            if (!ok) { fprintf(stderr, "%s:%zu: '%s' is not a number\n", path, line_no, fields[column[j]]); return -1; }
        }
        t->user_ids[t->rows++] = strdup(fields[0]);
    }
    free(line); free(fields); free(column); fclose(f);
    return 0;
}

typedef struct {
    const tenure_model *model;
    const table *t;
    double *out;
    int status;
} job;

static void *score_all(void *arg) {
    job *j = arg;
    j->status = TENURE_OK;
    for (size_t r = 0; r < j->t->rows && j->status == TENURE_OK; r++)
        j->status = tenure_model_score(j->model, j->t->x + r * j->t->features, j->t->features, &j->out[r]);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s MODEL FEATURES.csv [THREADS]\n", argv[0]); return 64; }
    int threads = argc > 3 ? atoi(argv[3]) : 4;
    if (threads < 1) threads = 1;

    char err[512];
    tenure_model *model = tenure_model_load(argv[1], err, sizeof err);
    if (!model) { fprintf(stderr, "error: %s\n", err); return 2; }
    fprintf(stderr, "libtenurec %s: %s model, %zu features\n", tenure_version(), tenure_model_kind(model),
            tenure_model_feature_count(model));

    table t;
    if (read_table(argv[2], model, &t) != 0) { tenure_model_free(model); return 2; }

    /* One row at a time. */
    double *single = malloc((t.rows + 1) * sizeof *single);
    job one = { model, &t, single, 0 };
    score_all(&one);
    if (one.status != TENURE_OK) { fprintf(stderr, "score: %s\n", tenure_status_message(one.status)); return 1; }

    /* The whole table as one batch. */
    double *batch = malloc((t.rows + 1) * sizeof *batch);
    int status = tenure_model_score_batch(model, t.x, t.rows, t.features, batch);
    if (status != TENURE_OK) { fprintf(stderr, "score_batch: %s\n", tenure_status_message(status)); return 1; }

    /* Every thread scores every row on the same model at once. */
    pthread_t *tid = malloc(threads * sizeof *tid);
    job *jobs = malloc(threads * sizeof *jobs);
    for (int k = 0; k < threads; k++) {
        jobs[k] = (job){ model, &t, malloc((t.rows + 1) * sizeof(double)), 0 };
        pthread_create(&tid[k], NULL, score_all, &jobs[k]);
    }
    int mismatches = 0;
    for (int k = 0; k < threads; k++) {
        pthread_join(tid[k], NULL);
        if (jobs[k].status != TENURE_OK || memcmp(jobs[k].out, single, t.rows * sizeof(double)) != 0) mismatches++;
        free(jobs[k].out);
    }
    if (memcmp(batch, single, t.rows * sizeof(double)) != 0) { fprintf(stderr, "batch and single-row scores differ\n"); return 1; }
    if (mismatches) { fprintf(stderr, "%d of %d threads disagree with single-threaded scoring\n", mismatches, threads); return 1; }

    printf("user_id,probability\n");
    for (size_t r = 0; r < t.rows; r++) printf("%s,%.17g\n", t.user_ids[r], single[r]);
    fprintf(stderr, "scored %zu rows (single, batch and %d threads agree)\n", t.rows, threads);

    for (size_t r = 0; r < t.rows; r++) free(t.user_ids[r]);
    free(t.user_ids); free(t.x); free(single); free(batch); free(tid); free(jobs);
    tenure_model_free(model);
    return 0;
}
