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
// A branch to a JMP goes where the chain of jumps ends (Go retargets it);
// a chain that loops leaves the branch on itself.
TEXT ·chain(SB), 4, $0
	JEQ c1
	ADDQ $1, AX
c1:
	JMP c2
	ADDQ $2, AX
c2:
	JMP c3
	ADDQ $3, AX
c3:
	RET
TEXT ·loop(SB), 4, $0
	JEQ l1
	ADDQ $1, AX
l1:
	JMP l2
l2:
	JMP l1
// PCALIGN: the function is aligned to the largest value (align=0x40).
TEXT ·aligned(SB), 4, $0
	ADDQ $1, AX
	PCALIGN $64
	RET
