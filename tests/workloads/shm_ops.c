/* shm_ops: one round of System V shared memory: shmget(IPC_PRIVATE, 8192, IPC_CREAT|0600),
 * shmat(id, NULL, SHM_RDONLY), shmdt, shmctl(id, IPC_RMID, NULL), and a shmdt of an address
 * that is not attached (EINVAL). */
#include <stdio.h>
#include <sys/ipc.h>
#include <sys/shm.h>

int main(void)
{
	int id = shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
	void *p;

	if (id < 0)
		return 1;
	p = shmat(id, NULL, SHM_RDONLY);
	if (p != (void *)-1)
		shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	shmdt((void *)0x1000);
	printf("%d\n", id);
	return 0;
}
