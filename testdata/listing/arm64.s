// -S listing test: `goasm -arch arm64 -S -p p arm64.s` prints arm64.arm64.golden, which is
// `go tool asm -S -p p arm64.s` (GOARCH=arm64) less its PCDATA/FUNCDATA lines (Go's stack maps).
GLOBL ·x(SB), 16, $8
DATA ·tab+0(SB)/8, $·x(SB)
GLOBL ·tab(SB), 8, $8
TEXT ·f(SB), 0, $24-16
	MOVD a+0(FP), R0
	MOVD R0, ret+8(FP)
	MOVD R0, local-8(SP)
loop:
	ADD $1, R0, R0
	ADD R1<<3, R2, R3
	SUB R1>>7, R2
	AND R4->63, R5, R6
	ORR R4@>5, R5, R6
	ADD R1.UXTW<<2, R2, R3
	ADD R1.SXTX, RSP, RSP
	CMP $0x123456, R0
	BNE loop
	CBZ R7, done
	TBNZ $3, R8, loop
	MOVD $0x123456789abcdef0, R4
	MOVD $0x12345678(R1), R9
	VADD V1.B16, V2.B16, V3.B16
	VLD1 (R1), [V1.B16, V2.B16]
	VLD1.P 32(R1), [V4.S4, V5.S4]
	VST1 [V1.D2, V2.D2, V3.D2, V4.D2], (R2)
	VMOV V1.S[1], R5
	VMOV R6, V7.D[1]
	VEOR V1.B8, V2.B8, V3.B8
	LDP 16(RSP), (R6, R7)
	STP.W (R1, R2), -32(RSP)
	LDP.P 32(RSP), (R1, R2)
	MOVD.W R1, -16(RSP)
	MOVD.P 16(RSP), R1
	MOVW (R1)(R2<<2), R3
	MOVBU (R1)(R2), R3
	FMOVD $1.5, F0
	FMOVD $1.1, F1
	FADDD F0, F1, F2
	MRS NZCV, R10
	CSEL EQ, R1, R2, R3
	UBFX $3, R1, $4, R2
	LDADDD R1, (R2), R3
	MOVD ·x(SB), R11
	MOVD $·tab(SB), R12
	CALL ·g(SB)
done:
	RET
TEXT ·g(SB), 4, $0
	MOVD ·x(SB), R0
	RET
TEXT ·h(SB), 516, $0-8
	MOVD R30, R0
	RET (R0)
TEXT ·big(SB), 0, $4096-0
	MOVD R0, big-8(SP)
	BL ·g(SB)
	RET
// A branch to a JMP goes where the chain of jumps ends (Go retargets it).
TEXT ·chain(SB), 4, $0
	CBZ R0, c1
	BEQ c1
	ADD $1, R0
c1:
	B c2
	ADD $2, R0
c2:
	JMP c3
	ADD $3, R0
c3:
	RET
