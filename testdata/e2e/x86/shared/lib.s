// A shared library made from goasm objects: assembled with -shared (and
// again with -dynlink), linked by `cc -shared`, loaded by main.c.

#include "textflag.h"

// long lib_add(long a, long b)
TEXT lib_add(SB), NOSPLIT, $0
	LEAQ (DI)(SI*1), AX
	RET

// long lib_bump(long by): adds to the library's own global lib_counter.
TEXT lib_bump(SB), NOSPLIT, $0
	MOVQ lib_counter(SB), AX
	ADDQ DI, AX
	MOVQ AX, lib_counter(SB)
	RET

// long lib_labs(long x): calls C's labs through the PLT.
TEXT lib_labs(SB), 0, $16
	CALL labs(SB)
	RET

// const char *lib_greeting(void): the address of the library's data.
TEXT lib_greeting(SB), NOSPLIT, $0
	MOVQ $greeting(SB), AX
	RET

DATA lib_counter+0(SB)/8, $7
GLOBL lib_counter(SB), NOPTR, $8

DATA greeting+0(SB)/8, $"hello, s"
DATA greeting+8(SB)/8, $"hared\x00\x00\x00"
GLOBL greeting(SB), RODATA, $16
