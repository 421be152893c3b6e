/* Drop reasons and results of the fast path.
 *
 * enum relay_drop mirrors Relay.DataPlane.DropReason member for member (same numbers): the
 * per-CPU drop counters are indexed by it, and a test checks that C and C# agree. Append only.
 */
#ifndef RELAY_DROP_H
#define RELAY_DROP_H

enum relay_drop {
	RELAY_DROP_NONE = 0,
	RELAY_DROP_MALFORMED = 1,
	RELAY_DROP_NOT_L2TP_V2 = 2,
	RELAY_DROP_UNKNOWN_SESSION = 3,
	RELAY_DROP_SPOOFED = 4,
	RELAY_DROP_SESSION_NOT_READY = 5,
	RELAY_DROP_NOT_IPV4 = 6,
	RELAY_DROP_BAD_INNER_HEADER = 7,
	RELAY_DROP_INNER_SOURCE_SPOOFED = 8,
	RELAY_DROP_POLICY_DENIED = 9,
	RELAY_DROP_TTL_EXPIRED = 10,
	RELAY_DROP_NO_ROUTE = 11,
	RELAY_DROP_FRAGMENT_DENIED = 12,
	RELAY_DROP_FRAGMENT_TABLE_FULL = 13,
	RELAY_DROP_NO_HEADROOM = 14,
	RELAY_DROP_CONTROL_QUEUE_FULL = 15,
	RELAY_DROP_SEND_FAILED = 16,
	RELAY_DROP_KERNEL_WRITE_FAILED = 17,
	RELAY_DROP_STALE_SEQUENCE = 18, /* user space only: the kernel passes sequenced data */
	RELAY_DROP_MAX = 32, /* size of the counter array: room to append */
};

/* Why a packet was left to the kernel stack and user space (XDP_PASS / TC_ACT_OK), untouched. */
enum relay_pass {
	RELAY_PASS_NOT_L2TP = 0,        /* not Ethernet/IPv4/UDP to port 1701 */
	RELAY_PASS_OUTER_SHAPE = 1,     /* outer IP options, fragment, bad header checksum, other destination */
	RELAY_PASS_CONTROL = 2,         /* T bit set (RFC 2661 section 3.1) */
	RELAY_PASS_L2TP_SHAPE = 3,      /* not version 2, O bit, or a Length that does not match the frame */
	RELAY_PASS_SEQUENCED = 4,       /* S bit set: Ns/Nr stay with user space (section 5.4) */
	RELAY_PASS_UNKNOWN_SESSION = 5, /* no entry: not ready yet, or not ours */
	RELAY_PASS_PPP = 6,             /* not FF 03 00 21: PPP control, other protocols, compressed header */
	RELAY_PASS_INNER_SHAPE = 7,     /* inner IP options or fragment (the fragment table is in user space) */
	RELAY_PASS_NO_ROUTE = 8,        /* inner destination not a kernel-known ready session */
	RELAY_PASS_TARGET_SEQUENCED = 9,/* the target wants Ns on data messages */
	RELAY_PASS_FIB = 10,            /* no route or no neighbour for the new outer destination */
	RELAY_PASS_COALESCED = 11,      /* tc: a GRO train (several datagrams in one skb); the workers split it */
	RELAY_PASS_MAX = 16,
};

/* What happened to a packet, one counter each. */
enum relay_result {
	RELAY_RESULT_PASS = 0,
	RELAY_RESULT_TX = 1,       /* sent back out the interface it came in on */
	RELAY_RESULT_REDIRECT = 2, /* sent out another interface */
	RELAY_RESULT_DROP = 3,
	RELAY_RESULT_MAX = 4,
};

#endif
