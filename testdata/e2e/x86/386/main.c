#include <stdio.h>

int c_counter = 100;
int c_square(int x) { return x * x; }

int add3(int, int, int);
int sum_array(const int *, int);
int square_plus_one(int);
int bump_counter(int);
const char *color_name(int);
int dispatch(int, int);
double dot_scaled(const double *, const double *, int);
void add4f(float *, const float *, const float *);

int main(void) {
	int arr[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	double a[] = {1, 2, 3}, b[] = {4, 5, 6};
	float x[4] = {0, 1, 2, 3}, y[4] = {0, 0.5f, 1, 1.5f}, z[4];
	printf("add3 %d\n", add3(1, 20, 300));
	printf("sum_array %d %d\n", sum_array(arr, 10), sum_array(arr, 0));
	printf("square_plus_one %d\n", square_plus_one(12));
	int b1 = bump_counter(5);
	int b2 = bump_counter(-50);
	printf("bump_counter %d %d c_counter %d\n", b1, b2, c_counter);
	printf("color_name %s %s %s\n", color_name(0), color_name(1), color_name(2));
	printf("dispatch %d %d %d\n", dispatch(0, 21), dispatch(1, 21), dispatch(2, 21));
	printf("dot_scaled %g\n", dot_scaled(a, b, 3));
	add4f(z, x, y);
	printf("add4f %g %g %g %g\n", z[0], z[1], z[2], z[3]);
	return 0;
}
