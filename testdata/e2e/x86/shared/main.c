#include <stdio.h>

extern long lib_counter;
long lib_add(long, long);
long lib_bump(long);
long lib_labs(long);
const char *lib_greeting(void);

int main(void) {
	printf("lib_add %ld\n", lib_add(40, 2));
	long b1 = lib_bump(3);
	long b2 = lib_bump(10);
#ifdef DIRECT_DATA
	/* -dynlink: the library reaches lib_counter through the GOT, so it sees
	   the executable's copy of it. */
	long c = lib_counter;
#else
	/* -shared with -Bsymbolic: the library uses its own lib_counter. */
	long c = lib_bump(0);
#endif
	printf("lib_bump %ld %ld lib_counter %ld\n", b1, b2, c);
	printf("lib_labs %ld\n", lib_labs(-99));
	printf("lib_greeting %s\n", lib_greeting());
	return 0;
}
