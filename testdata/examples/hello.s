// A data-only example: a greeting and a table that points at it.
// goasm -arch amd64 -os linux testdata/examples/hello.s -o hello.o
#include "textflag.h"

DATA greeting<>+0(SB)/8, $"hello, w"
DATA greeting<>+8(SB)/6, $"orld\n\x00"
GLOBL greeting<>(SB), RODATA, $14

// A C program can declare: extern const char *const hello_msg; extern const long hello_len;
DATA hello_msg+0(SB)/8, $greeting<>(SB)
GLOBL hello_msg(SB), RODATA, $8
DATA hello_len+0(SB)/8, $13
GLOBL hello_len(SB), RODATA|NOPTR, $8
