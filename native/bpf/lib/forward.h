/* The fast-path decision and rewrite shared by relay_xdp.c and relay_tc.c: the kernel twin of
 * Relay.DataPlane Forwarder.FromPeer for the one shape it takes over, a ready session-to-session
 * pair exchanging unsequenced IPv4 frames. Every other packet is left untouched for the kernel
 * stack and the user-space data plane (RELAY_ACT_PASS, counted by enum relay_pass); spoofed
 * and policy-denied packets are dropped here (counted by enum relay_drop, as user space would).
 */
#ifndef RELAY_FORWARD_H
#define RELAY_FORWARD_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "csum.h"
#include "drop.h"
#include "maps.h"
#include "parse.h"

#ifndef AF_INET
#define AF_INET 2
#endif

/* BPF_FIB_LOOKUP_SRC (uapi since Linux 6.7; the build's headers may be older). */
#define RELAY_FIB_LOOKUP_SRC (1U << 4)

/* The outer TTL of a forwarded datagram: what the user-space socket would use (Linux default). */
#define RELAY_OUTER_TTL 64

enum relay_action {
	RELAY_ACT_PASS,
	RELAY_ACT_DROP,
	RELAY_ACT_TX,       /* back out the ingress interface */
	RELAY_ACT_REDIRECT, /* out *egress_ifindex */
};

/* What changed in the UDP datagram, for callers that keep a packet checksum (tc, CHECKSUM_COMPLETE). */
struct relay_delta {
	__be32 before[3];
	__be32 after[3];
};

static __always_inline int relay_pass(enum relay_pass why)
{
	relay_count(&relay_passes, why);
	relay_count(&relay_results, RELAY_RESULT_PASS);
	return RELAY_ACT_PASS;
}

static __always_inline int relay_drop(enum relay_drop why, struct relay_traffic *source, __u32 bytes)
{
	if (source) {
		/* As Forwarder.FromPeer: a packet that passed the source check counts as received, then dropped. */
		source->rx_packets += 1;
		source->rx_bytes += bytes;
		source->drops += 1;
	}
	relay_count(&relay_drops, why);
	relay_count(&relay_results, RELAY_RESULT_DROP);
	return RELAY_ACT_DROP;
}

static __always_inline int relay_forward(void *ctx, void *data, void *data_end, __u32 ingress_ifindex,
					 __u32 *egress_ifindex, struct relay_delta *delta)
{
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return relay_pass(RELAY_PASS_NOT_L2TP);
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->protocol != IPPROTO_UDP_)
		return relay_pass(RELAY_PASS_NOT_L2TP);
	struct udphdr *udp = (void *)(ip + 1);
	if (ip->ihl != 5) /* options: the user-space path */
		return relay_pass(RELAY_PASS_OUTER_SHAPE);
	if ((void *)(udp + 1) > data_end || udp->dest != bpf_htons(L2TP_PORT))
		return relay_pass(RELAY_PASS_NOT_L2TP);

	__u32 zero = 0;
	struct relay_config *config = bpf_map_lookup_elem(&relay_config, &zero);
	if (!config)
		return relay_pass(RELAY_PASS_OUTER_SHAPE);
	if ((ip->frag_off & bpf_htons(0x3fff)) != 0 || !ipv4_header_valid(ip) ||
	    (config->local_addr != 0 && ip->daddr != config->local_addr))
		return relay_pass(RELAY_PASS_OUTER_SHAPE);
	__u32 ip_length = bpf_ntohs(ip->tot_len);
	__u32 udp_length = bpf_ntohs(udp->len);
	if (ip_length != sizeof(*ip) + udp_length || udp_length < sizeof(*udp) + 6 ||
	    (void *)ip + ip_length > data_end)
		return relay_pass(RELAY_PASS_OUTER_SHAPE);
	/* The L2TP message: what user space would read from the socket. */
	__u32 message_length = udp_length - sizeof(*udp);

	__u8 *l2tp = (void *)(udp + 1);
	if ((void *)(l2tp + 2) > data_end)
		return relay_pass(RELAY_PASS_L2TP_SHAPE);
	__u16 flags = bpf_ntohs(*(__be16 *)l2tp);
	if (flags & L2TP_FLAG_TYPE)
		return relay_pass(RELAY_PASS_CONTROL);
	if ((flags & L2TP_VERSION_MASK) != L2TP_VERSION || (flags & L2TP_FLAG_OFFSET))
		return relay_pass(RELAY_PASS_L2TP_SHAPE);
	if (flags & L2TP_FLAG_SEQUENCE)
		return relay_pass(RELAY_PASS_SEQUENCED);
	__u32 header_length = 6;
	__u8 *ids = l2tp + 2;
	if (flags & L2TP_FLAG_LENGTH) {
		if ((void *)(l2tp + 4) > data_end || bpf_ntohs(*(__be16 *)(l2tp + 2)) != message_length)
			return relay_pass(RELAY_PASS_L2TP_SHAPE);
		header_length = 8;
		ids = l2tp + 4;
	}
	if ((void *)(ids + 4) > data_end || message_length < header_length)
		return relay_pass(RELAY_PASS_L2TP_SHAPE);

	struct relay_session_key key = {
		.tunnel_id = *(__be16 *)ids,
		.session_id = *(__be16 *)(ids + 2),
	};
	struct relay_session *source = bpf_map_lookup_elem(&relay_sessions, &key);
	if (!source)
		return relay_pass(RELAY_PASS_UNKNOWN_SESSION);
	if (ip->saddr != source->peer_addr || udp->source != source->peer_port)
		return relay_drop(RELAY_DROP_SPOOFED, 0, 0);
	/* PPP header (4) + an inner IPv4 header (20); shorter: PPP control or malformed, user space decides. */
	struct iphdr *inner = (void *)(ids + 8);
	if ((void *)(inner + 1) > data_end || message_length < header_length + 4 + sizeof(*inner) ||
	    *(__be32 *)(ids + 4) != bpf_htonl(PPP_IPV4_HEADER))
		return relay_pass(RELAY_PASS_PPP);

	struct relay_traffic *source_traffic = bpf_map_lookup_elem(&relay_traffic, &key);
	__u32 inner_room = message_length - header_length - 4;
	if (inner->version != 4 || inner->ihl < 5)
		return relay_drop(RELAY_DROP_BAD_INNER_HEADER, source_traffic, message_length);
	if (inner->ihl != 5 || (inner->frag_off & bpf_htons(0x3fff)) != 0)
		return relay_pass(RELAY_PASS_INNER_SHAPE);
	__u32 inner_length = bpf_ntohs(inner->tot_len);
	if (inner_length < sizeof(*inner) || inner_length > inner_room || !ipv4_header_valid(inner))
		return relay_drop(RELAY_DROP_BAD_INNER_HEADER, source_traffic, message_length);
	if (inner_length != inner_room) /* trailing octets: user space trims them, so it forwards */
		return relay_pass(RELAY_PASS_L2TP_SHAPE);
	if (inner->saddr != source->leased_addr)
		return relay_drop(RELAY_DROP_INNER_SOURCE_SPOOFED, source_traffic, message_length);
	if (!policy_allows(config, inner->protocol, (const __u8 *)(inner + 1), inner_length - sizeof(*inner), data_end))
		return relay_drop(RELAY_DROP_POLICY_DENIED, source_traffic, message_length);

	struct relay_session_key *target_key = bpf_map_lookup_elem(&relay_routes, &inner->daddr);
	if (!target_key)
		return relay_pass(RELAY_PASS_NO_ROUTE);
	struct relay_session_key target_ids = *target_key;
	struct relay_session *target = bpf_map_lookup_elem(&relay_sessions, &target_ids);
	if (!target)
		return relay_pass(RELAY_PASS_NO_ROUTE);
	if (target->flags & RELAY_SESSION_SEQUENCING)
		return relay_pass(RELAY_PASS_TARGET_SEQUENCED);
	if (inner->ttl <= 1) /* RFC 1812 section 5.3.1 */
		return relay_drop(RELAY_DROP_TTL_EXPIRED, source_traffic, message_length);

	/* The outer source: the address relayd's socket is bound to, else the one the kernel would
	 * choose for the target's peer (BPF_FIB_LOOKUP_SRC, Linux 6.7+), else the address this
	 * datagram came to (one-address relays; reflect mode). */
	__be32 local = config->local_addr != 0 ? config->local_addr : ip->daddr;
	__be32 peer = target->peer_addr;
	__be16 peer_port = target->peer_port;
	int action = RELAY_ACT_TX;
	if (config->flags & RELAY_CONFIG_REFLECT) {
		__u8 mac[ETH_ALEN];
		__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
		__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
		__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	} else {
		struct bpf_fib_lookup fib = {};
		fib.family = AF_INET;
		fib.l4_protocol = IPPROTO_UDP_;
		fib.sport = bpf_htons(L2TP_PORT);
		fib.dport = peer_port;
		fib.tot_len = ip_length;
		fib.ipv4_src = local;
		fib.ipv4_dst = peer;
		fib.ifindex = ingress_ifindex;
		long rc;
		if (config->local_addr == 0) {
			rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), RELAY_FIB_LOOKUP_SRC);
			if (rc < 0) { /* a kernel before 6.7: no source selection */
				fib.ipv4_src = local;
				rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
			}
		} else {
			rc = bpf_fib_lookup(ctx, &fib, sizeof(fib), 0);
		}
		if (rc != BPF_FIB_LKUP_RET_SUCCESS)
			return relay_pass(RELAY_PASS_FIB); /* the stack resolves the neighbour; user space sends */
		local = fib.ipv4_src;
		__builtin_memcpy(eth->h_dest, fib.dmac, ETH_ALEN);
		__builtin_memcpy(eth->h_source, fib.smac, ETH_ALEN);
		if (fib.ifindex != ingress_ifindex) {
			*egress_ifindex = fib.ifindex;
			action = RELAY_ACT_REDIRECT;
		}
	}

	/* Inner TTL, RFC 1624 update of the inner header checksum. The inner header still sums to
	 * 0xffff, so the outer UDP checksum does not see this change. */
	__u16 *ttl_word = (__u16 *)&inner->ttl;
	__u16 old_ttl_word = *ttl_word;
	inner->ttl -= 1;
	csum_replace2(&inner->check, old_ttl_word, *ttl_word);

	/* Outer IPv4: from the relay (the address the datagram came to) to the target's peer. */
	__be32 old_source = ip->saddr;
	ip->saddr = local;
	ip->daddr = peer;
	ip->ttl = RELAY_OUTER_TTL;
	ip->check = ipv4_header_csum(ip);

	/* Outer UDP and L2TP ids; the checksum (when the sender computed one) follows incrementally. */
	delta->before[0] = *(__be32 *)udp;
	delta->before[1] = *((__be32 *)udp + 1);
	delta->before[2] = *(__be32 *)ids;
	__be16 old_source_port = udp->source;
	__be16 old_tunnel = *(__be16 *)ids;
	__be16 old_session = *(__be16 *)(ids + 2);
	udp->source = bpf_htons(L2TP_PORT);
	udp->dest = peer_port;
	*(__be16 *)ids = target->peer_tunnel_id;
	*(__be16 *)(ids + 2) = target->peer_session_id;
	if (udp->check != 0) {
		__u16 check = udp->check;
		csum_replace4(&check, old_source, local);
		csum_replace4(&check, local, peer);
		csum_replace2(&check, old_source_port, bpf_htons(L2TP_PORT));
		csum_replace2(&check, bpf_htons(L2TP_PORT), peer_port);
		csum_replace2(&check, old_tunnel, target->peer_tunnel_id);
		csum_replace2(&check, old_session, target->peer_session_id);
		udp->check = check == 0 ? 0xffff : check; /* 0 means "no checksum" (RFC 768) */
	}
	delta->after[0] = *(__be32 *)udp;
	delta->after[1] = *((__be32 *)udp + 1);
	delta->after[2] = *(__be32 *)ids;

	if (source_traffic) {
		source_traffic->rx_packets += 1;
		source_traffic->rx_bytes += message_length;
	}
	struct relay_traffic *target_traffic = bpf_map_lookup_elem(&relay_traffic, &target_ids);
	if (target_traffic) {
		target_traffic->tx_packets += 1;
		target_traffic->tx_bytes += message_length;
	}
	relay_count(&relay_results, action == RELAY_ACT_TX ? RELAY_RESULT_TX : RELAY_RESULT_REDIRECT);
	return action;
}

#endif
