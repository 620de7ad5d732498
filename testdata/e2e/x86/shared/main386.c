#include <stdio.h>

extern int lib_counter;
int lib_add(int, int);
int lib_bump(int);
int lib_labs(int);
const char *lib_greeting(void);

int main(void) {
	printf("lib_add %d\n", lib_add(40, 2));
	int b1 = lib_bump(3);
	int b2 = lib_bump(10);
#ifdef DIRECT_DATA
	/* -dynlink: the library reaches lib_counter through the GOT, so it sees
	   the executable's copy of it. */
	int c = lib_counter;
#else
	/* -shared with -Bsymbolic: the library uses its own lib_counter. */
	int c = lib_bump(0);
#endif
	printf("lib_bump %d %d lib_counter %d\n", b1, b2, c);
	printf("lib_labs %d\n", lib_labs(-99));
	printf("lib_greeting %s\n", lib_greeting());
	return 0;
}
