/* scsilatency: histograms of SCSI command latency, one per operation code. */
#ifndef BCCT_SCSILATENCY_H
#define BCCT_SCSILATENCY_H

struct scsilatency_key {
	unsigned int opcode;    /* the CDB's first byte */
};
#endif
