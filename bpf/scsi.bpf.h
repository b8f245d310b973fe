/* SCSI commands, BPF side, for scsilatency and scsiresult: the parts of struct scsi_cmnd they read,
 * declared here because the vendored vmlinux.h comes from a kernel without SCSI. CO-RE relocates
 * every field against the running kernel (or the scsi_mod module's BTF). Include after
 * bcct.bpf.h. */
#ifndef BCCT_SCSI_BPF_H
#define BCCT_SCSI_BPF_H

/* The command descriptor block: an array inside the command since 5.19, a pointer before. */
struct scsi_cmnd___cdb_array {
	unsigned char cmnd[32];
	int result;
} __attribute__((preserve_access_index));

struct scsi_cmnd___cdb_pointer {
	unsigned char *cmnd;
} __attribute__((preserve_access_index));

/* From 4.11 to 5.17 a command begins with its struct scsi_request (scsi_cmnd.req), whose cmd
 * points at the CDB as scsi_cmnd.cmnd does. That struct is in vmlinux's BTF, where scsi_cmnd
 * is only in the scsi_mod module's, which kernels without module BTF (Debian's 5.10) lack. */
struct scsi_request___cdb {
	unsigned char *cmd;
} __attribute__((preserve_access_index));

/* The command's operation code, the first byte of its CDB (READ_10 is 0x28). */
static __always_inline u32 scsi_cmd_opcode(void *cmd)
{
	struct scsi_cmnd___cdb_pointer *old = cmd;
	struct scsi_cmnd___cdb_array *new = cmd;
	struct scsi_request___cdb *req = cmd;
	unsigned char *cdb = NULL;
	u8 op = 0;

	if (bpf_core_field_exists(old->cmnd))
		cdb = BPF_CORE_READ(old, cmnd);
	else if (bpf_core_field_exists(new->cmnd))
		cdb = (unsigned char *)&new->cmnd[0];
	else if (bpf_core_field_exists(req->cmd))
		cdb = BPF_CORE_READ(req, cmd);
	if (cdb)
		bpf_probe_read_kernel(&op, sizeof(op), cdb);
	return op;
}

/* The command's result: host byte in bits 16-23, SCSI status in bits 0-7. */
static __always_inline int scsi_cmd_result(void *cmd)
{
	struct scsi_cmnd___cdb_array *c = cmd;

	return BPF_CORE_READ(c, result);
}
#endif
