// End-to-end test functions, assembled by goasm and linked with C
// (gen/e2e.sh): C calling convention (AAPCS64) arguments in R0-R7,
// calls into C, C globals, DATA holding addresses, SIMD.
// R19-R28 are callee-saved in C: functions that may need REGTMP (R27)
// (large constants, -shared TLS, -dynlink GOT loads) keep it in R15.

#define NOSPLIT 4
#define NOFRAME 512
#define NOPTR 16
#define RODATA 8
#define TLSBSS 256

// int64_t add3(int64_t a, int64_t b, int64_t c)
TEXT add3(SB), NOSPLIT|NOFRAME, $0
	ADD	R0, R1, R0
	ADD	R2, R0, R0
	RET

// int64_t call_c(int64_t x): c_twice(x) + c_global, through a Go frame.
TEXT call_c(SB), NOSPLIT, $16
	MOVD	R27, saved-8(SP)
	BL	c_twice(SB)
	MOVD	c_global(SB), R1
	ADD	R1, R0, R0
	MOVD	$c_global(SB), R2
	MOVD	(R2), R3
	ADD	R3, R0, R0
	MOVD	saved-8(SP), R27
	RET

// void set_c_global(int64_t v)
TEXT set_c_global(SB), NOSPLIT|NOFRAME, $0
	MOVD	R27, R15
	MOVD	R0, c_global(SB)
	MOVD	R15, R27
	RET

// void vadd4(int32_t *dst, const int32_t *a, const int32_t *b)
TEXT vadd4(SB), NOSPLIT|NOFRAME, $0
	VLD1	(R1), [V0.S4]
	VLD1	(R2), [V1.S4]
	VADD	V0.S4, V1.S4, V2.S4
	VST1	[V2.S4], (R0)
	RET

// uint64_t bits(uint64_t x): constants synthesised by MOVD sequences and
// logical immediates.
TEXT bits(SB), NOSPLIT|NOFRAME, $0
	MOVD	$0x123456789abcdef0, R1
	EOR	R1, R0, R0
	AND	$0xff00ff00ff00ff00, R0, R0
	ORR	$0x5555, R0, R0
	RET

// int64_t sum_table(void): calls through a table of addresses (DATA).
TEXT sum_table(SB), NOSPLIT, $32
	MOVD	R19, saved-8(SP)
	MOVD	$fntab(SB), R19
	MOVD	$1, R0
	MOVD	$2, R1
	MOVD	$3, R2
	MOVD	(R19), R4
	CALL	(R4)
	MOVD	R0, acc-16(SP)
	MOVD	$5, R0
	MOVD	8(R19), R4
	CALL	(R4)
	MOVD	acc-16(SP), R1
	ADD	R1, R0, R0
	MOVD	saved-8(SP), R19
	RET

// int64_t narrow_sum(void): loads of C globals of each width, with an
// addend, and an unaligned one (ADRP+ADD+LDR rather than ADRP+LDR).
TEXT narrow_sum(SB), NOSPLIT|NOFRAME, $0
	MOVD	R27, R15
	MOVB	c_bytes+1(SB), R0
	MOVH	c_halves+2(SB), R1
	ADD	R1, R0, R0
	MOVW	c_words+4(SB), R1
	ADD	R1, R0, R0
	MOVD	c_dwords+8(SB), R1
	ADD	R1, R0, R0
	MOVWU	c_bytes+3(SB), R1
	ADD	R1, R0, R0
	MOVD	R15, R27
	RET

// Thread-local storage: tls_store(v) writes tlsvar, tls_load() reads it.
// The offset goes to R27 as in Go's runtime: with -shared the initial-exec
// pair (ADRP R27; LDR R27) must use one register for linkers to relax it.
TEXT tls_store(SB), NOSPLIT|NOFRAME, $0
	MOVD	R27, R15
	MRS	TPIDR_EL0, R1
	MOVD	tlsvar(SB), R27
	MOVD	R0, (R1)(R27)
	MOVD	R15, R27
	RET

TEXT tls_load(SB), NOSPLIT|NOFRAME, $0
	MOVD	R27, R15
	MRS	TPIDR_EL0, R1
	MOVD	tlsvar(SB), R27
	MOVD	(R1)(R27), R0
	MOVD	R15, R27
	RET

GLOBL tlsvar(SB), TLSBSS, $8

// A table of function addresses: ABS64 relocations in data.
DATA fntab+0(SB)/8, $add3(SB)
DATA fntab+8(SB)/8, $c_twice(SB)
GLOBL fntab(SB), NOPTR, $16

// A string in read-only data, read by C.
DATA greeting+0(SB)/8, $"goasm ok"
GLOBL greeting(SB), RODATA, $9
