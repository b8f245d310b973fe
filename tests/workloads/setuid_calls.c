/* setuid_calls UID: as root, setfsuid(UID) and back (setfsuid(0)), setresuid(-1, UID, -1) and
 * back, then setuid(UID) for good, and a setuid(0) that then fails (EPERM). For setuids. */
#define _GNU_SOURCE
#include <unistd.h>
#include <sys/fsuid.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	uid_t uid = argc > 1 ? (uid_t)atoi(argv[1]) : 65534;

	setfsuid(uid);
	setfsuid(0);
	if (setresuid(-1, uid, -1) || setresuid(-1, 0, -1))
		return 1;
	if (setuid(uid))
		return 1;
	return setuid(0) == 0;   /* must fail */
}
