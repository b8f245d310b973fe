/* tcpsubnet: TCP bytes sent per destination subnet, shared with user space. */
#ifndef BCCT_TCPSUBNET_H
#define BCCT_TCPSUBNET_H

#define TCPSUBNET_MAX 32        /* subnets in the list */
#endif
