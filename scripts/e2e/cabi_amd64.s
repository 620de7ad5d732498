// C-ABI functions for the e2e_formats step (scripts/e2e_formats.sh): every
// kind of reference an object format must relocate. SysV ABI (linux, darwin)
// or the Windows x64 ABI. NOSPLIT|NOFRAME: plain C-callable code, no Go prologue.
#include "textflag.h"
#include "cabi.h"

#ifdef GOOS_windows
#define ARG0 CX
#define ARG1 DX
#define CALLFRAME 40
#else
#define ARG0 DI
#define ARG1 SI
#define CALLFRAME 8
#endif

// word add2(word a, word b): no relocation.
TEXT add2(SB), NOSPLIT|NOFRAME, $0
	MOVQ ARG0, AX
	ADDQ ARG1, AX
	RET

// word load_magic(void): magic + magic2[1]: PC-relative loads, one with an addend.
TEXT load_magic(SB), NOSPLIT|NOFRAME, $0
	MOVQ magic(SB), AX
	ADDQ magic2+8(SB), AX
	RET

// word cmp_magic(void): 1 if the low byte of magic2[1] is 0x22 (an immediate
// follows the PC-relative displacement).
TEXT cmp_magic(SB), NOSPLIT|NOFRAME, $0
	XORQ AX, AX
	CMPB magic2+8(SB), $0x22
	JNE 2(PC)
	MOVQ $1, AX
	RET

// word call_c(word x): c_triple(x) + 1, a call to an external C function.
TEXT call_c(SB), NOSPLIT|NOFRAME, $0
	SUBQ $CALLFRAME, SP
	CALL c_triple(SB)
	ADDQ $CALLFRAME, SP
	INCQ AX
	RET

// word load_ptr(void): *ptr, where ptr holds &magic (an absolute address in read-only data).
TEXT load_ptr(SB), NOSPLIT|NOFRAME, $0
	MOVQ ptr(SB), AX
	MOVQ (AX), AX
	RET

// word sum3(void): a macro from the #included cabi.h (its instructions are on the invocation line).
TEXT sum3(SB), NOSPLIT|NOFRAME, $0
	MOVQ $1, AX
	ADD_TWO_AX
	RET

DATA magic+0(SB)/8, $0x1234
GLOBL magic(SB), NOPTR, $8
DATA magic2+0(SB)/8, $0x11
DATA magic2+8(SB)/8, $0x22
GLOBL magic2(SB), NOPTR, $16
DATA ptr+0(SB)/8, $magic(SB)
GLOBL ptr(SB), RODATA, $8
