// Address DATA for 64-bit GOARCHes (the address width must be the pointer size).
#include "textflag.h"
DATA ·table+0(SB)/8, $·target(SB)
DATA ·table+8(SB)/8, $·target+8(SB)
DATA ·table+16(SB)/8, $local<>+4(SB)
DATA ·table+24(SB)/8, $runtime·external(SB)
GLOBL ·table(SB), RODATA, $32
DATA ·target+0(SB)/8, $42
GLOBL ·target(SB), NOPTR, $16
DATA local<>+0(SB)/8, $7
GLOBL local<>(SB), NOPTR, $8
