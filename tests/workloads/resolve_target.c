/* resolve_target NAME [GOFILE]: stands in for a C library's resolvers where gethostlatency -l
 * is pointed at this binary (the VM guests have no libc, and a real lookup may wait on DNS):
 * its own getaddrinfo, gethostbyname and gethostbyname2 each take 30 ms and fail; main calls
 * each once with NAME. With GOFILE it first waits (10 s at most) for that file, so that a
 * tracer can be started with -p on its PID. */
#include <stddef.h>
#include <time.h>
#include <unistd.h>

#define LOOKUP_MS 30

static void take_lookup_time(void)
{
	struct timespec t = { 0, LOOKUP_MS * 1000000L };

	while (nanosleep(&t, &t))
		;
}

__attribute__((noinline, used)) int getaddrinfo(const char *node, const char *service,
						 const void *hints, void **res)
{
	(void)node, (void)service, (void)hints, (void)res;
	take_lookup_time();
	return -2;   /* EAI_NONAME */
}

__attribute__((noinline, used)) void *gethostbyname(const char *name)
{
	(void)name;
	take_lookup_time();
	return NULL;
}

__attribute__((noinline, used)) void *gethostbyname2(const char *name, int af)
{
	(void)name, (void)af;
	take_lookup_time();
	return NULL;
}

int main(int argc, char **argv)
{
	void *res;

	if (argc < 2)
		return 2;
	for (int i = 0; argc > 2 && access(argv[2], F_OK) && i < 1000; i++)
		usleep(10000);
	getaddrinfo(argv[1], NULL, NULL, &res);
	gethostbyname(argv[1]);
	gethostbyname2(argv[1], 10);
	return 0;
}
