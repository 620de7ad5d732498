// C-ABI functions for the e2e_formats step (scripts/e2e_formats.sh), 386
// cdecl: arguments on the stack, result in AX. NOSPLIT|NOFRAME: plain C code.
#include "textflag.h"
#include "cabi.h"

// word add2(word a, word b): no relocation.
TEXT add2(SB), NOSPLIT|NOFRAME, $0
	MOVL 4(SP), AX
	ADDL 8(SP), AX
	RET

// word load_magic(void): magic + magic2[1]: absolute addresses, one with an addend.
TEXT load_magic(SB), NOSPLIT|NOFRAME, $0
	MOVL magic(SB), AX
	ADDL magic2+4(SB), AX
	RET

// word cmp_magic(void): 1 if the low byte of magic2[1] is 0x22.
TEXT cmp_magic(SB), NOSPLIT|NOFRAME, $0
	XORL AX, AX
	CMPB magic2+4(SB), $0x22
	JNE 2(PC)
	MOVL $1, AX
	RET

// word call_c(word x): c_triple(x) + 1, a PC-relative call to an external C function.
TEXT call_c(SB), NOSPLIT|NOFRAME, $0
	MOVL 4(SP), AX
	SUBL $12, SP
	MOVL AX, 0(SP)
	CALL c_triple(SB)
	ADDL $12, SP
	INCL AX
	RET

// word load_ptr(void): *ptr, where ptr holds &magic.
TEXT load_ptr(SB), NOSPLIT|NOFRAME, $0
	MOVL ptr(SB), AX
	MOVL (AX), AX
	RET

// word sum3(void): a macro from the #included cabi.h.
TEXT sum3(SB), NOSPLIT|NOFRAME, $0
	MOVL $1, AX
	ADD_TWO_AX
	RET

DATA magic+0(SB)/4, $0x1234
GLOBL magic(SB), NOPTR, $4
DATA magic2+0(SB)/4, $0x11
DATA magic2+4(SB)/4, $0x22
GLOBL magic2(SB), NOPTR, $8
DATA ptr+0(SB)/4, $magic(SB)
GLOBL ptr(SB), RODATA, $4
