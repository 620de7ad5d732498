// C-ABI functions for the e2e_formats step (scripts/e2e_formats.sh), arm64
// (AAPCS64: arguments in R0, R1, result in R0). NOSPLIT: no stack check.
#include "textflag.h"

// word add2(word a, word b): no relocation.
TEXT add2(SB), NOSPLIT|NOFRAME, $0
	ADD R1, R0, R0
	RET

// word load_magic(void): magic + magic2[1]: ADRP+LDR pairs, one with an addend.
TEXT load_magic(SB), NOSPLIT|NOFRAME, $0
	MOVD magic(SB), R0
	MOVD magic2+8(SB), R1
	ADD R1, R0, R0
	RET

// word cmp_magic(void): 1 if magic2[1] is 0x22 (ADRP+ADD of an address with an addend).
TEXT cmp_magic(SB), NOSPLIT|NOFRAME, $0
	MOVD $magic2+8(SB), R1
	MOVD (R1), R1
	CMP $0x22, R1
	CSET EQ, R0
	RET

// word call_c(word x): c_triple(x) + 1, a BL to an external C function (the
// frame saves LR and FP as Go's prologue does).
TEXT call_c(SB), NOSPLIT, $16
	CALL c_triple(SB)
	ADD $1, R0, R0
	RET

// word load_ptr(void): *ptr, where ptr holds &magic (an absolute address in read-only data).
TEXT load_ptr(SB), NOSPLIT|NOFRAME, $0
	MOVD ptr(SB), R0
	MOVD (R0), R0
	RET

// word sum3(void)
TEXT sum3(SB), NOSPLIT|NOFRAME, $0
	MOVD $1, R0
	ADD $2, R0, R0
	RET

DATA magic+0(SB)/8, $0x1234
GLOBL magic(SB), NOPTR, $8
DATA magic2+0(SB)/8, $0x11
DATA magic2+8(SB)/8, $0x22
GLOBL magic2(SB), NOPTR, $16
DATA ptr+0(SB)/8, $magic(SB)
GLOBL ptr(SB), RODATA, $8
