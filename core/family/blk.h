/* Block family, user space: block devices by name and by the kernel's dev_t, for the -d DISK
 * filters and the disk columns of the block tools, and the block_rq_* tracepoint prototype
 * question the BPF side (bpf/block.bpf.h) needs answered before load. The kernel's dev_t is
 * major << 20 | minor (MKDEV in include/linux/kdev_t.h), as gendisk fields and the block
 * tracepoints give it, not glibc's.
 * Tools: biolatency, biosnoop, biotop, bitesize, biopattern, biostacks, bioerr, iosched, seeksize,
 * scsilatency, scsiresult, nvmelatency. */
#ifndef BCCT_FAMILY_BLK_H
#define BCCT_FAMILY_BLK_H
#include <stdbool.h>
#include <stddef.h>

/* The parts of a kernel dev_t. */
#define BLK_DEVT_MINOR_BITS 20
#define BLK_DEVT_MAJOR(dev) ((unsigned int)(dev) >> BLK_DEVT_MINOR_BITS)
#define BLK_DEVT_MINOR(dev) ((unsigned int)(dev) & ((1u << BLK_DEVT_MINOR_BITS) - 1))

/* The kernel dev_t of a disk named "sda" or "/dev/sda" (/sys/class/block, else a block device
 * node under /dev); 0 when there is no such disk. */
unsigned int blk_disk_devt(const char *name);
/* The block tools' -d DISK: *dev gets its kernel dev_t, or 0 without -d (disk NULL). false, after
 * the one-line usage error, when there is no such disk. */
bool blk_disk_option(const char *disk, unsigned int *dev);
/* The disk name of a kernel dev_t (DEVNAME in /sys/dev/block/MAJ:MIN/uevent) into buf, or
 * `unknown` when the device is gone (BCC's tools print "?" or "<unknown>"). Returns buf. */
const char *blk_devt_name(unsigned int dev, char *buf, size_t len, const char *unknown);
/* Whether block_rq_insert/block_rq_issue still take (request_queue, request), as before 5.11,
 * rather than (request): from the kernel's BTF (Debian's 5.10 has the newer form), else from
 * the kernel version. For the block tools' .rodata rq_after_queue. */
bool blk_rq_has_queue_arg(void);
/* Whether the system has a device of a kind that only some hosts have (SCSI, NVMe), by its sysfs
 * class directory ("scsi_device", "nvme"): the tools tracing that kind refuse without one rather
 * than wait for commands that never come. false after one line naming what is missing (what:
 * "SCSI", "NVMe"). */
bool blk_need_device_class(const char *class_dir, const char *what);
/* What every block-request applet's configure sets in its skeleton's rodata: the -d filter
 * (blk_disk_option's dev, on when a disk was named) and the request tracepoints' layout. */
#define BLK_RQ_CONFIGURE(rodata, disk, dev)                                  \
	do {                                                                 \
		(rodata)->filter_dev = (disk) != NULL;                       \
		(rodata)->targ_dev = (dev);                                  \
		(rodata)->rq_after_queue = blk_rq_has_queue_arg();           \
	} while (0)
#endif
