/* scsiresult: SCSI command completions counted by result. */
#ifndef BCCT_SCSIRESULT_H
#define BCCT_SCSIRESULT_H

struct scsiresult_key {
	unsigned int host_byte;     /* DID_* (result >> 16 & 0xff) */
	unsigned int status_byte;   /* SAM_STAT_* (result & 0xff) */
};
#endif
