/* Block family, user space: disk names <-> kernel dev_t; see blk.h. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include "core/btf.h"
#include "core/family/blk.h"
#include "core/log.h"

unsigned int blk_disk_devt(const char *name)
{
	unsigned int maj, min;
	struct stat st;
	char p[256];
	FILE *f;
	int n = 0;

	if (!strncmp(name, "/dev/", 5))
		name += 5;
	snprintf(p, sizeof(p), "/sys/class/block/%s/dev", name);
	f = strchr(name, '/') ? NULL : fopen(p, "r");
	if (f) {
		n = fscanf(f, "%u:%u", &maj, &min);
		fclose(f);
	}
	if (n != 2) {
		snprintf(p, sizeof(p), "/dev/%s", name);
		if (stat(p, &st) || !S_ISBLK(st.st_mode))
			return 0;
		maj = major(st.st_rdev);
		min = minor(st.st_rdev);
	}
	return maj << BLK_DEVT_MINOR_BITS | min;
}

bool blk_disk_option(const char *disk, unsigned int *dev)
{
	*dev = disk ? blk_disk_devt(disk) : 0;
	if (disk && !*dev) {
		bcct_usage_err("no such disk '%s'", disk);
		return false;
	}
	return true;
}

const char *blk_devt_name(unsigned int dev, char *buf, size_t len, const char *unknown)
{
	char p[64], line[256];
	FILE *f;

	snprintf(buf, len, "%s", unknown);
	snprintf(p, sizeof(p), "/sys/dev/block/%u:%u/uevent", BLK_DEVT_MAJOR(dev),
		 BLK_DEVT_MINOR(dev));
	f = fopen(p, "r");
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "DEVNAME=", 8)) {
			line[strcspn(line, "\n")] = 0;
			snprintf(buf, len, "%.*s", (int)len - 1, line + 8);
			break;
		}
	fclose(f);
	return buf;
}

bool blk_rq_has_queue_arg(void)
{
	struct utsname u;
	int args = bcct_btf_tp_args("block_rq_issue"), major = 0, minor = 0;

	if (args >= 0)
		return args == 2;
	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major < 5 || (major == 5 && minor < 11);
}

bool blk_need_device_class(const char *class_dir, const char *what)
{
	char path[128];
	struct dirent *d;
	bool any = false;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/%s", class_dir);
	dir = opendir(path);
	if (!dir) {
		bcct_err("no %s devices: the kernel has no %s support (no %s)", what, what, path);
		return false;
	}
	while (!any && (d = readdir(dir)))
		any = d->d_name[0] != '.';
	closedir(dir);
	if (!any)
		bcct_err("no %s devices on this system (%s is empty)", what, path);
	return any;
}
