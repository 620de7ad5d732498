// Driver for the goasm end-to-end test (gen/e2e.sh).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int64_t c_global = 1000;
int8_t c_bytes[8] = {1, -2, 3, 0x44, 0x55, 0x66, 0x77, 0};
int16_t c_halves[4] = {10, -20, 30, 40};
int32_t c_words[4] = {100, -200, 300, 400};
int64_t c_dwords[2] = {1000, -2000};
int64_t c_twice(int64_t x) { return 2 * x; }

int64_t add3(int64_t, int64_t, int64_t);
int64_t call_c(int64_t);
void set_c_global(int64_t);
void vadd4(int32_t *, const int32_t *, const int32_t *);
uint64_t bits(uint64_t);
int64_t sum_table(void);
int64_t bigloop(int64_t *, int64_t);
extern char greeting[];
int64_t narrow_sum(void);
void tls_store(int64_t);
int64_t tls_load(void);
extern __thread int64_t tlsvar;

static int fails;
#define CHECK(name, got, want)                                                              \
    do {                                                                                    \
        long long g_ = (long long)(got), w_ = (long long)(want);                            \
        if (g_ != w_) {                                                                     \
            printf("FAIL %s: got %lld want %lld\n", name, g_, w_);                          \
            fails++;                                                                        \
        }                                                                                   \
    } while (0)

int main(void) {
    CHECK("add3", add3(1, 20, 300), 321);
    CHECK("call_c", call_c(21), 42 + 1000 + 1000);
    set_c_global(7);
    CHECK("set_c_global", c_global, 7);
    int32_t a[4] = {1, 2, 3, 4}, b[4] = {10, 20, 30, 40}, d[4];
    vadd4(d, a, b);
    CHECK("vadd4", d[0] + d[1] * 100 + d[2] * 10000 + d[3] * 1000000, 11 + 2200 + 330000 + 44000000);
    uint64_t x = 0x0f0f0f0f0f0f0f0fULL;
    CHECK("bits", bits(x), (int64_t)(((x ^ 0x123456789abcdef0ULL) & 0xff00ff00ff00ff00ULL) | 0x5555));
    CHECK("sum_table", sum_table(), 6 + 10);
    int64_t mem[2] = {5, 0};
    CHECK("bigloop", bigloop(mem, 3), 5 + 3 * BIGLOOP_BODY);
    CHECK("greeting", strcmp(greeting, "goasm ok"), 0);
    CHECK("narrow_sum", narrow_sum(), -2 - 20 - 200 - 2000 + (int64_t)0x77665544);
    tls_store(77);
    CHECK("tls C view", tlsvar, 77);
    tlsvar = 99;
    CHECK("tls asm view", tls_load(), 99);
    if (fails) return 1;
    printf("goasm e2e ok\n");
    return 0;
}
