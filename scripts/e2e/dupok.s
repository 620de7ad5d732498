// Two objects from this file (-D FUNC=f1, -D FUNC=f2) both define the DUPOK
// constant $f64.3ff8000000000000 that MOVSD $1.5 makes: the linker must keep one.
#include "textflag.h"

TEXT FUNC(SB), NOSPLIT|NOFRAME, $0
	MOVSD $1.5, X0
	RET
