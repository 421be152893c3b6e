// SPDX-License-Identifier: GPL-2.0
/* tc clsact ingress, for interfaces or modes where XDP cannot transmit: the same decision as
 * relay_xdp.c (lib/forward.h); forwarded packets leave with bpf_redirect to an egress queue. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "lib/forward.h"

/* Ethernet, IPv4, UDP, L2TP with L, PPP, inner IPv4, inner UDP, non-ESP marker: what the
 * decision reads must be in the linear part. */
#define RELAY_PULL_LENGTH 128

SEC("tc")
int relay_tc(struct __sk_buff *skb)
{
	/* tc runs after GRO: on a NIC (or veth) with GRO on, datagrams to relayd's port, whose sockets
	 * ask for UDP_GRO, arrive here merged. Only the first datagram's headers are in front, so the
	 * decision would hold for none of the others: the user-space workers split such trains. */
	if (skb->gso_segs > 1) {
		relay_pass(RELAY_PASS_COALESCED);
		return TC_ACT_OK;
	}
	__u32 pull = skb->len < RELAY_PULL_LENGTH ? skb->len : RELAY_PULL_LENGTH;
	if (bpf_skb_pull_data(skb, pull) != 0)
		return TC_ACT_OK;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 ingress = skb->ingress_ifindex;
	__u32 egress = 0;
	struct relay_delta delta;
	int action = relay_forward(skb, data, data_end, ingress, &egress, &delta);
	switch (action) {
	case RELAY_ACT_DROP:
		return TC_ACT_SHOT;
	case RELAY_ACT_TX:
	case RELAY_ACT_REDIRECT:
		/* Keep a CHECKSUM_COMPLETE skb's sum true: the outer and inner IPv4 headers still sum
		 * to 0xffff, the UDP header and L2TP ids changed. */
		bpf_csum_update(skb, bpf_csum_diff(delta.before, sizeof(delta.before), delta.after, sizeof(delta.after), 0));
		return bpf_redirect(action == RELAY_ACT_TX ? ingress : egress, 0);
	default:
		return TC_ACT_OK;
	}
}

char LICENSE[] SEC("license") = "GPL";
