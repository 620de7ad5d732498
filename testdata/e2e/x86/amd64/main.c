#include <stdio.h>

long c_counter = 100;
long c_square(long x) { return x * x; }

long add3(long, long, long);
long sum_array(const long *, long);
long square_plus_one(long);
long bump_counter(long);
const char *color_name(long);
long dispatch(long, long);
double dot_scaled(const double *, const double *, long);
void add8f(float *, const float *, const float *);

int main(void) {
	long arr[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	double a[] = {1, 2, 3}, b[] = {4, 5, 6};
	float x[8], y[8], z[8];
	for (int i = 0; i < 8; i++) { x[i] = i; y[i] = 0.5f * i; }
	printf("add3 %ld\n", add3(1, 20, 300));
	printf("sum_array %ld %ld\n", sum_array(arr, 10), sum_array(arr, 0));
	printf("square_plus_one %ld\n", square_plus_one(12));
	long b1 = bump_counter(5);
	long b2 = bump_counter(-50);
	printf("bump_counter %ld %ld c_counter %ld\n", b1, b2, c_counter);
	printf("color_name %s %s %s\n", color_name(0), color_name(1), color_name(2));
	printf("dispatch %ld %ld %ld\n", dispatch(0, 21), dispatch(1, 21), dispatch(2, 21));
	printf("dot_scaled %g\n", dot_scaled(a, b, 3));
	add8f(z, x, y);
	printf("add8f");
	for (int i = 0; i < 8; i++) printf(" %g", z[i]);
	printf("\n");
	return 0;
}
