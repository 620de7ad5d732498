// Functions with the C calling convention of 386 (cdecl: arguments on the
// stack at 4(SP), 8(SP), ... on entry; results in AX, doubles in F0),
// assembled by goasm with -nosplit-all and called from main.c.

#include "textflag.h"

// int add3(int a, int b, int c)
TEXT add3(SB), NOSPLIT, $0
	MOVL 4(SP), AX
	ADDL 8(SP), AX
	ADDL 12(SP), AX
	RET

// int sum_array(const int *p, int n): a loop with a backward branch.
TEXT sum_array(SB), NOSPLIT, $0
	MOVL 4(SP), DX
	MOVL 8(SP), CX
	XORL AX, AX
	TESTL CX, CX
	JLE done
loop:
	ADDL (DX), AX
	ADDL $4, DX
	DECL CX
	JNE loop
done:
	RET

// int square_plus_one(int x): calls C's c_square. The frame keeps SP
// 16-byte aligned at the call; the argument is then at 16(SP). No NOSPLIT:
// the prologue would call runtime.morestack without -nosplit-all.
TEXT square_plus_one(SB), 0, $12
	MOVL 16(SP), AX
	MOVL AX, 0(SP)
	CALL c_square(SB)
	INCL AX
	RET

// int bump_counter(int by): adds to the C global c_counter, returns it.
TEXT bump_counter(SB), NOSPLIT, $0
	MOVL c_counter(SB), AX
	ADDL 4(SP), AX
	MOVL AX, c_counter(SB)
	RET

// const char *color_name(int i): a table of string addresses in DATA.
TEXT color_name(SB), NOSPLIT, $0
	MOVL 4(SP), CX
	MOVL names<>(SB)(CX*4), AX
	RET

// int dispatch(int i, int x): a jump table of code addresses.
TEXT dispatch(SB), NOSPLIT, $0
	MOVL 4(SP), CX
	MOVL jumps<>(SB)(CX*4), AX
	JMP AX

TEXT case_double<>(SB), NOSPLIT, $0
	MOVL 8(SP), AX
	ADDL AX, AX
	RET

TEXT case_negate<>(SB), NOSPLIT, $0
	MOVL 8(SP), AX
	NEGL AX
	RET

TEXT case_square<>(SB), NOSPLIT, $0
	MOVL 8(SP), AX
	IMULL AX, AX
	RET

// double dot_scaled(const double *a, const double *b, int n) * 1.5: SSE2,
// a constant Go places in memory, and the x87 return register. Only AX,
// CX and DX may be clobbered.
TEXT dot_scaled(SB), NOSPLIT, $8
	MOVL 12(SP), AX
	MOVL 16(SP), DX
	MOVL 20(SP), CX
	XORPS X0, X0
	TESTL CX, CX
	JLE scale
next:
	MOVSD (AX), X1
	MULSD (DX), X1
	ADDSD X1, X0
	ADDL $8, AX
	ADDL $8, DX
	DECL CX
	JNE next
scale:
	MULSD $1.5, X0
	MOVSD X0, 0(SP)
	FMOVD 0(SP), F0
	RET

// void add4f(float *dst, const float *a, const float *b): SSE on 4 floats.
TEXT add4f(SB), NOSPLIT, $0
	MOVL 4(SP), AX
	MOVL 8(SP), CX
	MOVL 12(SP), DX
	MOVUPS (CX), X0
	MOVUPS (DX), X1
	ADDPS X1, X0
	MOVUPS X0, (AX)
	RET

DATA red<>+0(SB)/4, $"red\x00"
GLOBL red<>(SB), RODATA, $4
DATA green<>+0(SB)/6, $"green\x00"
GLOBL green<>(SB), RODATA, $6
DATA blue<>+0(SB)/5, $"blue\x00"
GLOBL blue<>(SB), RODATA, $5

DATA names<>+0(SB)/4, $red<>(SB)
DATA names<>+4(SB)/4, $green<>(SB)
DATA names<>+8(SB)/4, $blue<>(SB)
GLOBL names<>(SB), NOPTR, $12

DATA jumps<>+0(SB)/4, $case_double<>(SB)
DATA jumps<>+4(SB)/4, $case_negate<>(SB)
DATA jumps<>+8(SB)/4, $case_square<>(SB)
GLOBL jumps<>(SB), NOPTR, $12
