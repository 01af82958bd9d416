/* The departure-time recursion of a saturated serial line of single servers with blocking
 * after service, in C: the reference that benchmarks/bench_recursion.py measures linesim's
 * recursion against (the same recursion, the same floating-point steps, so the same departures
 * to the last bit when fed the same process times).
 *
 *   D_j(k) = max(max(D_{j-1}(k), D_j(k-1)) + p_j(k), D_{j+1}(k - b_{j+1} - 1))
 *
 * (station 0 takes a new unit the moment it frees: D_{-1}(k) = D_0(k-1); the last station never
 * blocks). Departures are kept in a ring of the last RING units per station.
 *
 *   recursion FILE n N repeat b_1 ... b_{n-1}
 *       process times from FILE (n rows of N float64, row-major): the recursion alone
 *   recursion --draw n N repeat seed m_0 ... m_{n-1} b_1 ... b_{n-1}
 *       exponential process times of means m_j drawn here (xoshiro256**, -m log(1 - u)) as the
 *       recursion runs: drawing and recursion, what a whole replication costs
 *
 * Prints one JSON object: the median seconds over `repeat` runs (clock_gettime: CLOCK_MONOTONIC,
 * and CPU time, CLOCK_PROCESS_CPUTIME_ID), and the last unit's departure from the last station.
 *
 * Build: cc -O2 -o recursion recursion.c -lm   (no -ffast-math: IEEE steps as in Python)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING 64 /* > the longest look-back, b + 1 */
#define MAXN 64

static uint64_t s[4];

static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t next(void) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return result;
}

static void seed(uint64_t x) { /* splitmix64 */
    for (int i = 0; i < 4; i++) {
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}

static double now(clockid_t which) {
    struct timespec ts;
    clock_gettime(which, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One run of N units; p: the process times (or NULL: draw them with means m). */
static double run(int n, long N, const double *p, const double *m, const int *look) {
    static double D[MAXN][RING];
    memset(D, 0, sizeof D);
    double last = 0.0;
    for (long k = 0; k < N; k++) {
        int q = k & (RING - 1), q1 = (k - 1) & (RING - 1);
        double arrived = D[0][q1]; /* saturated: taken when station 0 frees */
        for (int j = 0; j < n; j++) {
            double left = D[j][q1];
            double start = arrived >= left ? arrived : left;
            double pj = p ? p[(long)j * N + k]
                          : -m[j] * log(1.0 - (next() >> 11) * 0x1.0p-53);
            double finish = start + pj;
            if (j + 1 < n) {
                double room = D[j + 1][(k - look[j + 1]) & (RING - 1)];
                finish = finish >= room ? finish : room;
            }
            D[j][q] = finish;
            arrived = finish;
        }
        last = arrived;
    }
    return last;
}

int main(int argc, char **argv) {
    int draw = argc > 1 && strcmp(argv[1], "--draw") == 0;
    int a = draw ? 2 : 1;
    if (argc < a + 4) {
        fprintf(stderr, "usage: see the comment at the top of recursion.c\n");
        return 2;
    }
    const char *file = draw ? NULL : argv[a++];
    int n = atoi(argv[a++]);
    long N = atol(argv[a++]);
    int repeat = atoi(argv[a++]);
    uint64_t sd = draw ? strtoull(argv[a++], NULL, 10) : 0;
    if (n < 1 || n > MAXN || argc != a + (draw ? n : 0) + n - 1) {
        fprintf(stderr, "wrong number of arguments\n");
        return 2;
    }
    double m[MAXN];
    int look[MAXN] = {0};
    for (int j = 0; draw && j < n; j++) m[j] = atof(argv[a++]);
    for (int j = 1; j < n; j++) {
        look[j] = atoi(argv[a++]) + 1;
        if (look[j] >= RING) { fprintf(stderr, "buffer too large\n"); return 2; }
    }
    double *p = NULL;
    if (!draw) {
        p = malloc(sizeof(double) * n * N);
        FILE *f = fopen(file, "rb");
        if (!f || fread(p, sizeof(double), (size_t)n * N, f) != (size_t)n * N) {
            fprintf(stderr, "cannot read %s\n", file);
            return 2;
        }
        fclose(f);
    }
    double *secs = malloc(sizeof(double) * repeat), *cpu = malloc(sizeof(double) * repeat);
    double last = 0.0;
    for (int r = 0; r < repeat; r++) {
        seed(sd);
        double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
        last = run(n, N, p, m, look);
        secs[r] = now(CLOCK_MONOTONIC) - t0;
        cpu[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    qsort(secs, repeat, sizeof(double), cmp);
    qsort(cpu, repeat, sizeof(double), cmp);
    printf("{\"seconds\": %.9f, \"cpu_seconds\": %.9f, \"units\": %ld, \"last_departure\": %.17g}\n",
           secs[repeat / 2], cpu[repeat / 2], N, last);
    return 0;
}
