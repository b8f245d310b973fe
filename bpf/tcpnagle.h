#ifndef TCPNAGLE_H
#define TCPNAGLE_H
/* The blocked-time histogram's one key. */
#define TCPNAGLE_BLOCKED 0
#endif
