// bcct-cflags: -O1 -fno-omit-frame-pointer -g
/* cxx_templates SECONDS: C++ frames whose names need demangling, on CPU:
 *   main -> bcct_ns::Outer<int>::run(double) -> bcct_ns::churn<int>(int, double)
 * (mangled _ZN7bcct_ns5OuterIiE3runEd and _ZN7bcct_ns5churnIiEEmT_d). */
#include <cstdlib>
#include <ctime>

static volatile unsigned long sink;

static double now()
{
	timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

namespace bcct_ns {
template <typename T> __attribute__((noinline)) unsigned long churn(T seed, double secs)
{
	double end = now() + secs;
	unsigned long acc = 0;

	while (now() < end)
		for (unsigned long i = 0; i < 20000000; i++)
			acc += (i ^ sink) + (unsigned long)seed;
	return acc;
}

template <typename T> struct Outer {
	__attribute__((noinline)) static unsigned long run(double secs)
	{
		unsigned long r = churn<T>(T(3), secs);
		sink += r;
		return r + 1;
	}
};
} // namespace bcct_ns

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 5;

	sink = bcct_ns::Outer<int>::run(secs);
	return 0;
}
