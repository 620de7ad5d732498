// C side of the e2e_formats step: calls every goasm-assembled function.
#include <stdint.h>
#include <stdio.h>

typedef intptr_t word;
extern word add2(word, word);
extern word load_magic(void);
extern word cmp_magic(void);
extern word call_c(word);
extern word load_ptr(void);
extern word sum3(void);
#ifdef HAVE_LOAD_EXT
extern word load_ext(void);
#endif

word c_counter = 7;
word c_triple(word x) { return 3 * x; }

int main(void) {
    word a = add2(40, 2), m = load_magic(), c = cmp_magic(), k = call_c(10), p = load_ptr(), s = sum3();
#ifdef HAVE_LOAD_EXT
    word e = load_ext();
#else
    word e = c_counter;
#endif
    printf("add2=%ld magic=%#lx cmp=%ld call=%ld ptr=%#lx sum3=%ld ext=%ld\n", (long)a, (long)m, (long)c, (long)k,
           (long)p, (long)s, (long)e);
    return !(a == 42 && m == 0x1256 && c == 1 && k == 31 && p == 0x1234 && s == 3 && e == 7);
}
