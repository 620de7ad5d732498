// DATA and GLOBL in every form: integer widths, floats, strings, addresses,
// file-local symbols, flags. Assembled for every GOARCH by
// scripts/gen-data-vectors.sh; Go's listing of it is data.<goarch>.golden.
#include "textflag.h"

#define SIZE 16
#define PAIR(a, b) $((a)<<8 | (b))

DATA ·bytes+0(SB)/1, $0x7f
DATA ·bytes+1(SB)/1, $-1
DATA ·bytes+2(SB)/2, $0x1234
DATA ·bytes+4(SB)/4, $0xdeadbeef
DATA ·bytes+8(SB)/8, $0x0102030405060708
GLOBL ·bytes(SB), RODATA, $SIZE

DATA ·exprs+0(SB)/8, $(1<<2+3)
DATA ·exprs+8(SB)/8, $(64>>2>>1)
DATA ·exprs+16(SB)/4, $~15
DATA ·exprs+20(SB)/4, PAIR(1, 2)
DATA ·exprs+24(SB)/8, $'a'
GLOBL ·exprs(SB), NOPTR, $32

DATA ·floats+0(SB)/8, $1.5
DATA ·floats+8(SB)/4, $(-2.25)
DATA ·floats+12(SB)/4, $3e10
GLOBL ·floats(SB), RODATA|NOPTR, $16

DATA ·str+0(SB)/8, $"hello, w"
DATA ·str+8(SB)/4, $"orld"
DATA ·str+12(SB)/3, $"!\n"
GLOBL ·str(SB), RODATA, $15

DATA local<>+0(SB)/1, $1
GLOBL local<>(SB), NOPTR, $8

GLOBL ·zeroed(SB), NOPTR, $64
GLOBL ·ptrs_bss(SB), $24
GLOBL ·dup(SB), DUPOK|NOPTR, $4
GLOBL ·tls(SB), TLSBSS, $8
