/* The PC thunks Go's 386 position-independent code calls (Go's runtime
   defines them for Go programs). In COMDAT groups, as gcc emits them, so
   the copies crtbeginS.o and C code bring are merged with these. */
#define THUNK(r) __asm__(".section .text.__x86.get_pc_thunk." #r ",\"axG\",@progbits,__x86.get_pc_thunk." #r ",comdat\n" \
	".globl __x86.get_pc_thunk." #r "\n.hidden __x86.get_pc_thunk." #r "\n.type __x86.get_pc_thunk." #r ",@function\n" \
	"__x86.get_pc_thunk." #r ":\n\tmovl (%esp), %e" #r "\n\tret\n\t.previous\n");
THUNK(ax)
THUNK(cx)
THUNK(dx)
THUNK(bx)
