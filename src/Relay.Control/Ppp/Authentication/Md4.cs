using System.Buffers.Binary;
using System.Numerics;

namespace Relay.Control.Ppp.Authentication;

/// <summary>
/// MD4 message digest (RFC 1320), needed only for the NT password hash of MS-CHAPv2
/// (RFC 2759 §8.3); .NET has no MD4. One-shot, no allocation. MD4 is broken as a general hash:
/// use it for nothing else.
/// </summary>
internal static class Md4
{
    public const int HashSize = 16;

    private const int BlockSize = 64;

    public static void HashData(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            ThrowDestinationTooShort();
        }
        Span<uint> state = [0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u];
        var whole = source.Length - source.Length % BlockSize;
        for (var offset = 0; offset < whole; offset += BlockSize)
        {
            Compress(state, source.Slice(offset, BlockSize));
        }

        // §3.1–3.2: a one bit, zeros to 56 mod 64, then the bit length as 64 bits, low word first.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        var rest = source[whole..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length < 56 ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)source.Length * 8);
        for (var offset = 0; offset < tailLength; offset += BlockSize)
        {
            Compress(state, tail.Slice(offset, BlockSize));
        }

        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[(4 * i)..], state[i]);
        }
    }

    // §3.4: three rounds of sixteen operations over the block's sixteen little-endian words.
    private static void Compress(Span<uint> state, ReadOnlySpan<byte> block)
    {
        Span<uint> x = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(4 * i)..]);
        }
        uint a = state[0], b = state[1], c = state[2], d = state[3];

        for (var i = 0; i < 16; i += 4)
        {
            a = BitOperations.RotateLeft(a + F(b, c, d) + x[i], 3);
            d = BitOperations.RotateLeft(d + F(a, b, c) + x[i + 1], 7);
            c = BitOperations.RotateLeft(c + F(d, a, b) + x[i + 2], 11);
            b = BitOperations.RotateLeft(b + F(c, d, a) + x[i + 3], 19);
        }

        const uint Round2 = 0x5A827999u;
        for (var i = 0; i < 4; i++)
        {
            a = BitOperations.RotateLeft(a + G(b, c, d) + x[i] + Round2, 3);
            d = BitOperations.RotateLeft(d + G(a, b, c) + x[i + 4] + Round2, 5);
            c = BitOperations.RotateLeft(c + G(d, a, b) + x[i + 8] + Round2, 9);
            b = BitOperations.RotateLeft(b + G(c, d, a) + x[i + 12] + Round2, 13);
        }

        const uint Round3 = 0x6ED9EBA1u;
        ReadOnlySpan<byte> order = [0, 2, 1, 3];
        foreach (var i in order)
        {
            a = BitOperations.RotateLeft(a + H(b, c, d) + x[i] + Round3, 3);
            d = BitOperations.RotateLeft(d + H(a, b, c) + x[i + 8] + Round3, 9);
            c = BitOperations.RotateLeft(c + H(d, a, b) + x[i + 4] + Round3, 11);
            b = BitOperations.RotateLeft(b + H(c, d, a) + x[i + 12] + Round3, 15);
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
    }

    private static uint F(uint x, uint y, uint z) => (x & y) | (~x & z);

    private static uint G(uint x, uint y, uint z) => (x & y) | (x & z) | (y & z);

    private static uint H(uint x, uint y, uint z) => x ^ y ^ z;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination must hold 16 bytes.", "destination");
}
