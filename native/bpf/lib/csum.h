/* Internet checksum helpers (RFC 1071), incremental updates (RFC 1624, eqn. 3). All values in
 * network byte order: a one's-complement sum does not care about byte order as long as it is
 * consistent.
 */
#ifndef RELAY_CSUM_H
#define RELAY_CSUM_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

static __always_inline __u16 csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* HC' = ~(~HC + ~m + m') */
static __always_inline void csum_replace2(__u16 *check, __u16 old, __u16 new)
{
	__u32 sum = (__u16)~*check;
	sum += (__u16)~old;
	sum += new;
	*check = csum_fold(sum);
}

static __always_inline void csum_replace4(__u16 *check, __u32 old, __u32 new)
{
	csum_replace2(check, (__u16)old, (__u16)new);
	csum_replace2(check, (__u16)(old >> 16), (__u16)(new >> 16));
}

/* The checksum of a 20-octet IPv4 header (no options), its checksum field counted as zero. */
static __always_inline __u16 ipv4_header_csum(const void *header)
{
	const __u16 *w = header;
	__u32 sum = 0;
#pragma unroll
	for (int i = 0; i < 10; i++) {
		if (i != 5)
			sum += w[i];
	}
	return csum_fold(sum);
}

/* True when a 20-octet header verifies: its words, checksum included, sum to 0xffff. */
static __always_inline int ipv4_header_valid(const void *header)
{
	const __u16 *w = header;
	__u32 sum = 0;
#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	return csum_fold(sum) == 0;
}

#endif
