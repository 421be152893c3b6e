/* Header shapes and the inner-packet policy, mirroring Relay.Wire (L2tpHeader, Ipv4Header,
 * UdpHeader, UdpEncapsulation) and Relay.DataPlane ForwardingPolicy.Allows.
 */
#ifndef RELAY_PARSE_H
#define RELAY_PARSE_H

#include <linux/types.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.h"

#define L2TP_PORT 1701
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

/* RFC 2661 section 3.1: T L x x S x O P x x x x Ver(4). */
#define L2TP_FLAG_TYPE 0x8000
#define L2TP_FLAG_LENGTH 0x4000
#define L2TP_FLAG_SEQUENCE 0x0800
#define L2TP_FLAG_OFFSET 0x0200
#define L2TP_VERSION_MASK 0x000f
#define L2TP_VERSION 2

/* PPP in HDLC-like framing, uncompressed: All-Stations, UI, protocol 0x0021 (IPv4). */
#define PPP_IPV4_HEADER 0xff030021

/* RFC 3948 section 2: what a UDP payload on port 4500 may be (UdpEncapsulation.Classify). */
static __always_inline int udp_encapsulation_ok(const __u8 *transport, __u32 transport_length, const void *data_end)
{
	const struct udphdr *udp = (const void *)transport;
	if (transport_length < sizeof(*udp) || (const void *)(udp + 1) > data_end)
		return 0;
	__u32 length = bpf_ntohs(udp->len);
	if (length < sizeof(*udp) || length > transport_length)
		return 0;
	__u32 payload_length = length - sizeof(*udp);
	const __u8 *payload = (const __u8 *)(udp + 1);
	if (payload_length == 1)
		return (const void *)(payload + 1) <= data_end && payload[0] == 0xff; /* NAT keepalive */
	if (payload_length < 4 || (const void *)(payload + 4) > data_end)
		return 0;
	if (*(const __u32 *)payload == 0)
		return payload_length >= 4 + 28; /* non-ESP marker + IKE header (RFC 7296 section 3.1) */
	return payload_length >= 8;              /* SPI + sequence number (RFC 4303 section 2) */
}

/* ForwardingPolicy.Allows for an unfragmented datagram: the first rule that matches allows. */
static __always_inline int policy_allows(const struct relay_config *config, __u8 protocol, const __u8 *transport,
					 __u32 transport_length, const void *data_end)
{
	int has_ports = (protocol == IPPROTO_UDP_ || protocol == IPPROTO_TCP_) && transport_length >= 4 &&
			(const void *)(transport + 4) <= data_end;
	__u16 source_port = 0, destination_port = 0;
	if (has_ports) {
		source_port = bpf_ntohs(*(const __u16 *)transport);
		destination_port = bpf_ntohs(*(const __u16 *)(transport + 2));
	}
	__u32 count = config->rule_count;
	for (__u32 i = 0; i < RELAY_MAX_RULES; i++) {
		if (i >= count)
			break;
		const struct relay_rule *rule = &config->rules[i];
		if (rule->protocol != protocol)
			continue;
		if (rule->first_port != 0 || rule->last_port != 0) {
			__u16 span = rule->last_port - rule->first_port;
			if (!has_ports || ((__u16)(source_port - rule->first_port) > span &&
					   (__u16)(destination_port - rule->first_port) > span))
				continue;
		}
		if (rule->require_udp_encapsulation && !udp_encapsulation_ok(transport, transport_length, data_end))
			continue;
		return 1;
	}
	return 0;
}

#endif
