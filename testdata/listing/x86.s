// -S listing test: `goasm -arch amd64 -S -p p x86.s` prints x86.amd64.golden, which is
// `go tool asm -S -p p x86.s` (GOARCH=amd64) less its PCDATA/FUNCDATA lines (Go's stack maps).
GLOBL ·x(SB), 16, $8
TEXT ·f(SB), 0, $24-16
	MOVQ a+0(FP), AX
	MOVQ AX, ret+8(FP)
loop:
	ADDQ $1, AX
	JNE loop
	MOVSD $1.5, X0
	CALL ·g(SB)
	RET
TEXT ·g(SB), 4, $0
	MOVQ ·x(SB), AX
	RET
TEXT ·h(SB), 0, $0-8
	RET
