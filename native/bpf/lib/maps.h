/* The maps the fast path shares with Relay.DataPlane/Bpf (FastPath*.cs mirrors every layout).
 * The loader pins them under /sys/fs/bpf/relay/ (or the directory relayd is given).
 *
 *  relay_sessions  (local tunnel id, local session id) -> the session as the kernel sees it
 *  relay_routes    leased (inner) address -> the local ids of the session that leased it
 *  relay_config    one entry: flags, the relay's own address, the inner-packet policy
 *  relay_traffic   per-CPU, per session: what the fast path received, sent and dropped
 *  relay_drops / relay_passes / relay_results  per-CPU counters by reason / result
 */
#ifndef RELAY_MAPS_H
#define RELAY_MAPS_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "drop.h"

#define RELAY_MAX_SESSIONS 65536
#define RELAY_MAX_RULES 16

/* The ids exactly as an arriving data message carries them (network order). */
struct relay_session_key {
	__be16 tunnel_id;
	__be16 session_id;
};

#define RELAY_SESSION_SEQUENCING 1 /* the peer wants Ns on data messages: user space sends to it */

struct relay_session {
	__be32 peer_addr;        /* the tunnel's peer: the only outer source accepted, and where packets to this session go */
	__be16 peer_port;
	__u16 flags;             /* RELAY_SESSION_* */
	__be32 leased_addr;      /* the inner source this session may use (IPCP) */
	__be16 peer_tunnel_id;   /* the ids written into packets sent to this session */
	__be16 peer_session_id;
};

struct relay_rule {
	__u8 protocol;
	__u8 require_udp_encapsulation; /* RFC 3948 section 2: ESP, non-ESP-marked IKE or keepalive */
	__u16 first_port;               /* host order; 0-0 means any port */
	__u16 last_port;
	__u16 pad;
};

#define RELAY_CONFIG_REFLECT 1 /* no FIB lookup: swap MACs and send back out (edge box, tests) */

struct relay_config {
	__u32 flags;
	__be32 local_addr; /* when not 0, only datagrams to this address are taken */
	__u32 rule_count;  /* 0 rules: every inner packet is denied, as in user space */
	__u32 pad;
	struct relay_rule rules[RELAY_MAX_RULES];
};

struct relay_traffic {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;
	__u64 tx_bytes;
	__u64 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RELAY_MAX_SESSIONS);
	__type(key, struct relay_session_key);
	__type(value, struct relay_session);
} relay_sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RELAY_MAX_SESSIONS);
	__type(key, __be32);
	__type(value, struct relay_session_key);
} relay_routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct relay_config);
} relay_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, RELAY_MAX_SESSIONS);
	__type(key, struct relay_session_key);
	__type(value, struct relay_traffic);
} relay_traffic SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RELAY_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} relay_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RELAY_PASS_MAX);
	__type(key, __u32);
	__type(value, __u64);
} relay_passes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RELAY_RESULT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} relay_results SEC(".maps");

static __always_inline void relay_count(void *map, __u32 index)
{
	__u64 *counter = bpf_map_lookup_elem(map, &index);
	if (counter)
		*counter += 1; /* per-CPU: no atomic needed */
}

#endif
