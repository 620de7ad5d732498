#include "textflag.h"
// c_triple for links without a C compiler (only its address matters).
TEXT c_triple(SB), NOSPLIT|NOFRAME, $0
	RET
