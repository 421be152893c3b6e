// SPDX-License-Identifier: GPL-2.0
/* XDP on the uplink: forwards ready session-to-session L2TP data in the driver (see lib/forward.h).
 * Forwarded packets leave with XDP_TX (same interface) or bpf_redirect (another interface). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "lib/forward.h"

SEC("xdp")
int relay_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 egress = 0;
	struct relay_delta delta;
	switch (relay_forward(ctx, data, data_end, ctx->ingress_ifindex, &egress, &delta)) {
	case RELAY_ACT_DROP:
		return XDP_DROP;
	case RELAY_ACT_TX:
		return XDP_TX;
	case RELAY_ACT_REDIRECT:
		return bpf_redirect(egress, 0);
	default:
		return XDP_PASS;
	}
}

/* For the far end of a veth pair: native XDP_TX/redirect frames reach a veth peer only when the
 * peer runs an XDP program; this one lets everything through to the stack. */
SEC("xdp")
int relay_xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
