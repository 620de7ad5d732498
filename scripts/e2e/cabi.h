// Included by the e2e sources: a macro whose expansion is code.
#ifdef GOARCH_386
#define ADD_TWO_AX \
	ADDL $1, AX; \
	ADDL $1, AX
#else
#define ADD_TWO_AX \
	ADDQ $1, AX; \
	ADDQ $1, AX
#endif
