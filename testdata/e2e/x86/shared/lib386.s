// The 386 shared library: position-independent through Go's PC thunks
// (-shared, -dynlink); thunks.c provides __x86.get_pc_thunk.*.

#include "textflag.h"

// int lib_add(int a, int b)
TEXT lib_add(SB), NOSPLIT, $0
	MOVL 4(SP), AX
	ADDL 8(SP), AX
	RET

// int lib_bump(int by): adds to the library's own global lib_counter.
TEXT lib_bump(SB), NOSPLIT, $0
	MOVL lib_counter(SB), AX
	ADDL 4(SP), AX
	MOVL AX, lib_counter(SB)
	RET

// int lib_labs(int x): calls C's labs (through the PLT, with the GOT
// address in BX as the i386 PLT wants; BX is callee-saved, so it is saved).
TEXT lib_labs(SB), 0, $12
	MOVL BX, 8(SP)
	MOVL 16(SP), AX
	MOVL AX, 0(SP)
	LEAL _GLOBAL_OFFSET_TABLE_(SB), BX
	CALL labs(SB)
	MOVL 8(SP), BX
	RET

// const char *lib_greeting(void): the address of the library's data.
TEXT lib_greeting(SB), NOSPLIT, $0
	MOVL $greeting(SB), AX
	RET

DATA lib_counter+0(SB)/4, $7
GLOBL lib_counter(SB), NOPTR, $4

DATA greeting+0(SB)/8, $"hello, s"
DATA greeting+8(SB)/8, $"hared\x00\x00\x00"
GLOBL greeting(SB), RODATA, $16
