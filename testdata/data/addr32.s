// Address DATA for 32-bit GOARCHes (the address width must be the pointer size).
#include "textflag.h"
DATA ·table+0(SB)/4, $·target(SB)
DATA ·table+4(SB)/4, $·target+8(SB)
DATA ·table+8(SB)/4, $local<>+4(SB)
DATA ·table+12(SB)/4, $runtime·external(SB)
GLOBL ·table(SB), RODATA, $16
DATA ·target+0(SB)/8, $42
GLOBL ·target(SB), NOPTR, $16
DATA local<>+0(SB)/8, $7
GLOBL local<>(SB), NOPTR, $8
