/* fixture_reader.h — reading and scoring the PyTorch fixture files
 * (the .bin files in tests/reference), shared by test_reference.c and
 * test_gan_reference.c (header-only; the includer defines REL_TOL and
 * FLOOR_FRACTION). Files are little-endian int32 / float32 records. */
#ifndef FIXTURE_READER_H
#define FIXTURE_READER_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *p, *end;
    int ok; /* 0 once a read ran past the end */
} reader;

static int32_t read_i32(reader *r) {
    uint32_t v = 0;
    if (r->end - r->p < 4) { r->ok = 0; return 0; }
    for (int i = 3; i >= 0; i--) v = (v << 8) | r->p[i];
    r->p += 4;
    return (int32_t)v;
}

/* Reads n little-endian floats into dst. */
static void read_f32(reader *r, float *dst, int n) {
    for (int i = 0; i < n; i++) {
        uint32_t bits = (uint32_t)read_i32(r);
        memcpy(&dst[i], &bits, sizeof bits);
    }
}

static float *alloc_f32(reader *r, int n) {
    float *a = malloc(sizeof(float) * (size_t)(n > 0 ? n : 1));
    if (!a) { r->ok = 0; return NULL; }
    read_f32(r, a, n);
    return a;
}

/* Largest error over one block: |got - want| / max(|want|, floor_fraction x
 * the block's largest |want|), so values near zero in a block of large ones
 * are judged against the block's scale. */
static double block_error(const float *got, const float *want, int n, double floor_fraction) {
    double scale = 0, worst = 0;
    for (int i = 0; i < n; i++) scale = fmax(scale, fabs(want[i]));
    scale *= floor_fraction;
    for (int i = 0; i < n; i++) {
        double denom = fmax(fabs(want[i]), scale);
        if (denom == 0) denom = 1; /* both exactly zero (dead ReLU units) */
        double e = fabs((double)got[i] - want[i]) / denom;
        if (isnan(e)) e = INFINITY; /* a NaN result is the worst failure */
        if (e > worst) worst = e;
    }
    return worst;
}

/* Per weight and bias block of the flat layout (block_len: the file's). */
static double params_error(const float *got, const float *want, int n_blocks, const int *block_len) {
    double worst = 0;
    int at = 0;
    for (int b = 0; b < n_blocks; b++) {
        worst = fmax(worst, block_error(got + at, want + at, block_len[b], FLOOR_FRACTION));
        at += block_len[b];
    }
    return worst;
}

/* The worst error so far, where it was, and the count of checks over REL_TOL. */
typedef struct {
    double worst;
    char where[256];
    int failures, checks;
} tally;

static void record(tally *t, double err, const char *name, const char *what) {
    t->checks++;
    if (isnan(err)) err = INFINITY;
    if (err > t->worst) {
        t->worst = err;
        snprintf(t->where, sizeof t->where, "%s: %s", name, what);
    }
    if (err > REL_TOL) {
        t->failures++;
        fprintf(stderr, "FAIL %s: %s error %.3e > %.0e\n", name, what, err, REL_TOL);
    }
}

static unsigned char *read_file(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)*size);
        if (buf && fread(buf, 1, (size_t)*size, f) != (size_t)*size) { free(buf); buf = NULL; }
    }
    fclose(f);
    return buf;
}

/* tests/reference/<name>: build.sh runs tests from the repository root;
 * elsewhere it is found from this header's path. path receives where it
 * was read (or looked for). NULL, with a message, when it cannot be read. */
static unsigned char *read_fixture(const char *name, char *path, size_t cap, long *size) {
    snprintf(path, cap, "tests/reference/%s", name);
    unsigned char *data = read_file(path, size);
    const char *self = __FILE__, *slash = strrchr(self, '/');
    if (!data && slash) {
        snprintf(path, cap, "%.*s/../reference/%s", (int)(slash - self), self, name);
        data = read_file(path, size);
    }
    if (!data)
        fprintf(stderr, "FAIL: cannot read tests/reference/%s (run from the repo root)\n", name);
    return data;
}

#endif /* FIXTURE_READER_H */
