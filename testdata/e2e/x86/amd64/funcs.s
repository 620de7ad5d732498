// Functions with the C calling convention (System V AMD64: arguments in
// DI, SI, DX, CX, R8, R9, floats in X0-X7; results in AX or X0), assembled
// by goasm with -nosplit-all and called from main.c.

#include "textflag.h"

// long add3(long a, long b, long c)
TEXT add3(SB), NOSPLIT, $0
	MOVQ DI, AX
	ADDQ SI, AX
	ADDQ DX, AX
	RET

// long sum_array(const long *p, long n): a loop with a backward branch.
TEXT sum_array(SB), NOSPLIT, $0
	XORQ AX, AX
	TESTQ SI, SI
	JLE done
loop:
	ADDQ (DI), AX
	ADDQ $8, DI
	DECQ SI
	JNE loop
done:
	RET

// long square_plus_one(long x): calls C's c_square. No NOSPLIT: the
// prologue would call runtime.morestack without -nosplit-all.
TEXT square_plus_one(SB), 0, $16
	CALL c_square(SB)
	INCQ AX
	RET

// long bump_counter(long by): adds to the C global c_counter, returns it.
TEXT bump_counter(SB), NOSPLIT, $0
	MOVQ c_counter(SB), AX
	ADDQ DI, AX
	MOVQ AX, c_counter(SB)
	RET

// const char *color_name(long i): a table of string addresses in DATA.
TEXT color_name(SB), NOSPLIT, $0
	LEAQ names<>(SB), AX
	MOVQ (AX)(DI*8), AX
	RET

// long dispatch(long i, long x): a jump table of code addresses.
TEXT dispatch(SB), NOSPLIT, $0
	LEAQ jumps<>(SB), AX
	MOVQ (AX)(DI*8), AX
	JMP AX

TEXT case_double<>(SB), NOSPLIT, $0
	LEAQ (SI)(SI*1), AX
	RET

TEXT case_negate<>(SB), NOSPLIT, $0
	MOVQ SI, AX
	NEGQ AX
	RET

TEXT case_square<>(SB), NOSPLIT, $0
	MOVQ SI, AX
	IMULQ SI, AX
	RET

// double dot(const double *a, const double *b, long n) * 1.5 (SSE2 and a
// floating-point constant Go places in memory).
TEXT dot_scaled(SB), NOSPLIT, $0
	XORPS X0, X0
	TESTQ DX, DX
	JLE scale
next:
	MOVSD (DI), X1
	MULSD (SI), X1
	ADDSD X1, X0
	ADDQ $8, DI
	ADDQ $8, SI
	DECQ DX
	JNE next
scale:
	MULSD $1.5, X0
	RET

// void add8f(float *dst, const float *a, const float *b): AVX on 8 floats.
TEXT add8f(SB), NOSPLIT, $0
	VMOVUPS (SI), Y0
	VADDPS (DX), Y0, Y0
	VMOVUPS Y0, (DI)
	VZEROUPPER
	RET

DATA red<>+0(SB)/4, $"red\x00"
GLOBL red<>(SB), RODATA, $4
DATA green<>+0(SB)/6, $"green\x00"
GLOBL green<>(SB), RODATA, $6
DATA blue<>+0(SB)/5, $"blue\x00"
GLOBL blue<>(SB), RODATA, $5

DATA names<>+0(SB)/8, $red<>(SB)
DATA names<>+8(SB)/8, $green<>(SB)
DATA names<>+16(SB)/8, $blue<>(SB)
GLOBL names<>(SB), NOPTR, $24

DATA jumps<>+0(SB)/8, $case_double<>(SB)
DATA jumps<>+8(SB)/8, $case_negate<>(SB)
DATA jumps<>+16(SB)/8, $case_square<>(SB)
GLOBL jumps<>(SB), NOPTR, $24
