/* memops: memory and CPU activity with known counts, for the book's memory and CPU tools. Copied
 * under a marker name it gives them a known comm. After its work it stays HOLD_MS (default 0),
 * so that a tracer printing stacks at Ctrl-C still finds its maps.
 *   memops brk N [HOLD_MS]          grow the heap by a page N times from bcct_mo_brk_grow:
 *                                   N + 1 brk calls (the first asks the break)
 *   memops fault N [HOLD_MS]        touch N fresh anonymous pages (N page faults), from
 *                                   bcct_mo_touch
 *   memops mfault FILE N [HOLD_MS]  write to N pages of a private mapping of FILE (at least N
 *                                   pages long): N faults on FILE, copy-on-write (no fault-around)
 *   memops hfault N [HOLD_MS]       touch N huge pages of an anonymous MAP_HUGETLB mapping
 *   memops nap N MS [HOLD_MS]       sleep MS ms N times from bcct_mo_nap (its own nanosleep
 *                                   syscall instruction)
 *   memops open N                   open and close /dev/null N times (a struct file each)
 *   memops spin THREADS MS          THREADS threads spinning MS ms, thread i pinned to CPU
 *                                   i % CPUs
 *   memops tlb N                    a thread spinning on CPU 1 while the main thread, on CPU 0,
 *                                   maps, touches and unmaps a page N times: each unmap flushes
 *                                   the TLB of the other CPU using the address space (an IPI)
 *   memops xcall N                  from CPU 0, open and close a CPU 1 perf event N times: the
 *                                   kernel installs and removes it on CPU 1 by a cross-CPU
 *                                   function call each (smp_call_function_single), on every
 *                                   architecture (arm64 flushes TLBs without IPIs, so tlb
 *                                   makes none there)
 *   memops pipe THREADS N           THREADS threads each write N bytes, one write() each, into
 *                                   one pipe the main thread drains: the pipe's mutex contended
 *   memops kvm N                    a one-page real-mode KVM guest writing to an I/O port N
 *                                   times (N I/O exits)
 * Exits 1 when a step fails, saying which. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static volatile unsigned long sink;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void hold(int ms)
{
	if (ms > 0)
		usleep(ms * 1000);
}

/* System calls made here, not in the C library (built without frame pointers, its frames
 * would end the stack walk): the user stack at the syscall starts in the caller. */
static inline __attribute__((always_inline)) long raw_syscall2(long nr, unsigned long a0,
								 unsigned long a1)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "0"(nr), "D"(a0), "S"(a1) : "rcx", "r11", "memory");
	return ret;
#elif defined(__aarch64__)
	register unsigned long x0 __asm__("x0") = a0, x1 __asm__("x1") = a1;
	register long x8 __asm__("x8") = nr;

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
	return x0;
#else
	return syscall(nr, a0, a1);
#endif
}

static inline __attribute__((always_inline)) unsigned long raw_brk(unsigned long addr)
{
	return raw_syscall2(SYS_brk, addr, 0);
}

/* n sleeps of ms milliseconds (nanosleep), off CPU from this function. */
__attribute__((noinline)) static int bcct_mo_nap(int n, int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	for (int i = 0; i < n; i++)
		if (raw_syscall2(SYS_nanosleep, (unsigned long)&ts, 0))
			return -1;
	return 0;
}

/* One brk call to find the break, then n that grow it by a page each. */
__attribute__((noinline)) static int bcct_mo_brk_grow(int n)
{
	unsigned long end = raw_brk(0);

	for (int i = 0; i < n; i++) {
		end += 4096;
		if (raw_brk(end) != end)
			return -1;
	}
	return 0;
}

__attribute__((noinline)) static int bcct_mo_touch(int n)
{
	char *p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < n; i++)
		p[(size_t)i * 4096] = 1;
	return 0;
}

static int file_faults(const char *path, int n)
{
	int fd = open(path, O_RDONLY);
	char *p;

	if (fd < 0)
		return -1;
	p = mmap(NULL, (size_t)n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < n; i++)
		p[(size_t)i * 4096] = 1;
	return 0;
}

static int huge_faults(int n)
{
	size_t huge = 2 << 20;
	char *p = mmap(NULL, (size_t)n * huge, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (int i = 0; i < n; i++)
		p[(size_t)i * huge] = 1;
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *spinner(void *arg)
{
	long until = (long)arg;

	while (!stop && (until == 0 || now_ms() < until))
		sink++;
	return NULL;
}

static int spin(int threads, int ms)
{
	pthread_t t[64];
	long until = now_ms() + ms;
	int cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (threads > 64)
		threads = 64;
	for (int i = 0; i < threads; i++) {
		cpu_set_t set;
		pthread_attr_t a;

		pthread_attr_init(&a);
		CPU_ZERO(&set);
		CPU_SET(i % (cpus > 0 ? cpus : 1), &set);
		pthread_attr_setaffinity_np(&a, sizeof(set), &set);
		if (pthread_create(&t[i], &a, spinner, (void *)until))
			return -1;
	}
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static int tlb(int n)
{
	pthread_t t;
	cpu_set_t set;
	pthread_attr_t a;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return -1;
	pin(0);
	pthread_attr_init(&a);
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	pthread_attr_setaffinity_np(&a, sizeof(set), &set);
	if (pthread_create(&t, &a, spinner, (void *)0))
		return -1;
	usleep(20000);
	for (int i = 0; i < n; i++) {
		char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		p[0] = 1;
		munmap(p, 4096);
	}
	stop = 1;
	pthread_join(t, NULL);
	return 0;
}

static int xcall(int n)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
					 .config = PERF_COUNT_SW_CPU_CLOCK, .disabled = 1 };

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return -1;
	pin(0);
	for (int i = 0; i < n; i++) {
		int fd = syscall(SYS_perf_event_open, &attr, -1, 1, -1, 0);

		if (fd < 0 || close(fd))
			return -1;
	}
	return 0;
}

static int pipe_fds[2];

static void *pipe_writer(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++)
		if (write(pipe_fds[1], "x", 1) != 1)
			break;
	return NULL;
}

static int pipe_contend(int threads, int n)
{
	pthread_t t[64];
	long total = (long)threads * n;
	char buf[4096];

	if (threads > 64 || pipe(pipe_fds))
		return -1;
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, pipe_writer, (void *)(long)n))
			return -1;
	while (total > 0) {
		ssize_t r = read(pipe_fds[0], buf, sizeof(buf));

		if (r <= 0)
			return -1;
		total -= r;
	}
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}

#if defined(__x86_64__)
/* The guest at 0x1000: mov dx, 0x3f8; out dx, al; jmp back to the out. */
static const unsigned char guest_code[] = { 0xba, 0xf8, 0x03, 0xee, 0xeb, 0xfd };

static int kvm(int n)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = 0x1000, .rflags = 2 };
	struct kvm_run *run;
	int kvmfd, vm, vcpu, size, exits = 0;
	void *mem;

	if ((kvmfd = open("/dev/kvm", O_RDWR | O_CLOEXEC)) < 0 ||
	    (vm = ioctl(kvmfd, KVM_CREATE_VM, 0)) < 0)
		return -1;
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return -1;
	memcpy(mem, guest_code, sizeof(guest_code));
	region.guest_phys_addr = 0x1000;
	region.memory_size = 4096;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0 ||
	    (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0 ||
	    (size = ioctl(kvmfd, KVM_GET_VCPU_MMAP_SIZE, 0)) <= 0)
		return -1;
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return -1;
	while (exits < n) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return -1;
		if (run->exit_reason == KVM_EXIT_IO)
			exits++;
		else if (run->exit_reason != KVM_EXIT_INTR)
			return -1;
	}
	return 0;
}
#else
/* The guest above is x86 real-mode code: elsewhere kvm fails (kvmexits' test skips there). */
static int kvm(int n)
{
	return -1;
}
#endif

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, ms = argc > 3 ? atoi(argv[3]) : 0, err = -1;

	if (argc > 3 && !strcmp(argv[1], "mfault")) {
		n = atoi(argv[3]);
		ms = argc > 4 ? atoi(argv[4]) : 0;
	}

	if (argc < 3) {
		fprintf(stderr, "usage: memops brk|fault|mfault|hfault|open|nap|spin|tlb|xcall|pipe|kvm N [ARG]\n");
		return 2;
	}
	if (!strcmp(argv[1], "brk"))
		err = bcct_mo_brk_grow(n);
	else if (!strcmp(argv[1], "fault"))
		err = bcct_mo_touch(n);
	else if (!strcmp(argv[1], "mfault"))
		err = file_faults(argv[2], n);
	else if (!strcmp(argv[1], "hfault"))
		err = huge_faults(n);
	else if (!strcmp(argv[1], "open")) {
		err = 0;
		for (int i = 0; i < n && !err; i++) {
			int fd = open("/dev/null", O_RDONLY);

			err = fd < 0 ? -1 : close(fd);
		}
		ms = 0;
	} else if (!strcmp(argv[1], "spin"))
		err = spin(n, ms), ms = 0;
	else if (!strcmp(argv[1], "tlb"))
		err = tlb(n);
	else if (!strcmp(argv[1], "xcall"))
		err = xcall(n);
	else if (!strcmp(argv[1], "nap"))
		err = bcct_mo_nap(n, ms), ms = argc > 4 ? atoi(argv[4]) : 0;
	else if (!strcmp(argv[1], "pipe"))
		err = pipe_contend(n, ms), ms = 0;
	else if (!strcmp(argv[1], "kvm"))
		err = kvm(n);
	if (err) {
		fprintf(stderr, "memops %s failed\n", argv[1]);
		return 1;
	}
	hold(ms);
	return 0;
}
