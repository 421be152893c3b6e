using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Relay.Wire.Ip;

/// <summary>
/// The Internet checksum: the ones' complement of the ones' complement sum of 16-bit words
/// (RFC 1071), and its incremental update (RFC 1624). Partial sums are carried as a
/// <see cref="uint"/> holding a folded 16-bit value in network order, so sums over several
/// spans chain: <c>Finish(Sum(payload, Sum(header)))</c>. Every span but the last must have an
/// even length, since an odd last octet is padded with zero (RFC 768; RFC 1071 §4.1).
/// </summary>
public static class InternetChecksum
{
    /// <summary>
    /// Adds <paramref name="data"/> to <paramref name="initial"/>. The sum is independent of byte
    /// order (RFC 1071 §2(B)), so words are added in native order eight octets at a time (§2(C),
    /// parallel summation) and the result is swapped once at the end. Each 64-bit word is split
    /// into two 32-bit halves so that the 64-bit accumulator absorbs every carry and folds once at
    /// the end (§2(D), deferred carries).
    /// </summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong acc = 0;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var w in words)
        {
            acc += (uint)w;
            acc += w >> 32;
        }
        var tail = data[(words.Length * 8)..];
        if (tail.Length >= 4)
        {
            acc += MemoryMarshal.Read<uint>(tail);
            tail = tail[4..];
        }
        if (tail.Length >= 2)
        {
            acc += MemoryMarshal.Read<ushort>(tail);
            tail = tail[2..];
        }
        if (!tail.IsEmpty)
        {
            // The odd last octet is the high octet of a zero-padded word (RFC 768).
            acc += BitConverter.IsLittleEndian ? tail[0] : (uint)tail[0] << 8;
        }
        var native = Fold(acc);
        var network = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(native) : native;
        return Fold((ulong)network + initial);
    }

    /// <summary>Folds carries back into the low 16 bits: the end-around carry of ones' complement addition (RFC 1071 §1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Fold(ulong sum)
    {
        sum = (sum & 0xFFFF_FFFF) + (sum >> 32);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    /// <summary>The checksum to transmit: the complement of the folded sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Finish(uint sum) => (ushort)~Fold(sum);

    /// <summary>
    /// The checksum of <paramref name="data"/>. Over data that contains a correct checksum field
    /// the result is 0 (RFC 1071 §1), which is how receivers verify.
    /// </summary>
    public static ushort Compute(ReadOnlySpan<byte> data, uint initial = 0) => Finish(Sum(data, initial));

    /// <summary>
    /// The sum of the IPv4 pseudo-header that UDP and TCP checksums cover (RFC 768): source,
    /// destination, zero octet, protocol, and the transport length.
    /// </summary>
    public static uint PseudoHeaderSum(uint source, uint destination, byte protocol, ushort length)
        => Fold((ulong)(source >> 16) + (source & 0xFFFF) + (destination >> 16) + (destination & 0xFFFF) + protocol + length);

    /// <summary>
    /// Updates a checksum after one 16-bit word changed from <paramref name="oldWord"/> to
    /// <paramref name="newWord"/>: RFC 1624 §3 eqn. 3, HC' = ~(~HC + ~m + m'). Unlike the
    /// RFC 1141 form it agrees with a full recomputation even where the sum passes through
    /// ones' complement zero (RFC 1624 §3–4).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update(ushort checksum, ushort oldWord, ushort newWord)
        => (ushort)~Fold((ulong)(ushort)~checksum + (ushort)~oldWord + newWord);

    /// <summary>RFC 1624 eqn. 3 for a 32-bit field such as an address: both halves at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort Update(ushort checksum, uint oldValue, uint newValue)
        => (ushort)~Fold((ulong)(ushort)~checksum
            + (ushort)~(oldValue >> 16) + (ushort)~oldValue
            + (newValue >> 16) + (newValue & 0xFFFF));
}
