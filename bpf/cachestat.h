/* cachestat and cachetop: page cache counters, shared with user space. */
#ifndef BCCT_CACHESTAT_H
#define BCCT_CACHESTAT_H

/* BCC's four kernel functions, in the order of its arithmetic. */
enum cachestat_counter {
	CACHE_ACCESSED,         /* mark_page_accessed / folio_mark_accessed (fallback: pages read) */
	CACHE_BUFFER_DIRTY,     /* mark_buffer_dirty (fallback: block:block_dirty_buffer) */
	CACHE_ADDED,            /* add_to_page_cache_lru / filemap_add_folio (fallback: pages added) */
	CACHE_DIRTIED,          /* writeback:writeback_dirty_folio (BCC: account_page_dirtied) */
	CACHE_COUNTERS,
};

#define CACHETOP_MAX_ENTRIES 10240

/* cachetop's key: BCC's (pid, uid, comm). */
struct cachetop_key {
	unsigned int pid;
	unsigned int uid;
	char comm[16];
};

struct cachetop_val {
	unsigned long long n[CACHE_COUNTERS];
};
#endif
