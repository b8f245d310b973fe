/* opensnoop_open [-w] PATH...: open each PATH read-only, or with -w write-only and created with
 * mode 0640, then close it. Failures are expected and ignored. Copied under a marker name it
 * gives opens with a known comm and known flags. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int flags = O_RDONLY, i = 1;

	if (argc > 1 && !strcmp(argv[1], "-w")) {
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		i++;
	}
	for (; i < argc; i++) {
		int fd = open(argv[i], flags, 0640);

		if (fd >= 0)
			close(fd);
	}
	return 0;
}
