using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Relay.Wire.L2tp;

/// <summary>
/// AVP hiding (RFC 2661 §4.3). The hidden subformat is Original Length (2 octets), the value,
/// then optional padding; it is XORed with a keystream of 16-octet blocks
/// b1 = MD5(attribute type ‖ secret ‖ random vector), b(i) = MD5(secret ‖ c(i-1)),
/// where c(i-1) is the previous ciphertext block. A final short block uses only the octets
/// present (§4.3: "only the actual octets present in the Subformat are modified").
/// </summary>
internal static class HiddenAvpCipher
{
    /// <summary>Largest Attribute Value an AVP can carry: a 10-bit Length minus the 6-octet header.</summary>
    public const int MaxValueLength = 1023 - 6;

    private const int Block = 16;
    private const int StackLimit = 512;

    /// <summary>Octets the hidden form of a value takes: Original Length + value + padding.</summary>
    public static int HiddenLength(int valueLength, int paddingLength) => 2 + valueLength + paddingLength;

    /// <summary>
    /// Writes the hidden form of <paramref name="value"/> into <paramref name="destination"/>.
    /// <paramref name="padding"/> (random octets chosen by the caller, possibly empty) masks the
    /// value's length. Returns false if the destination is too small or the result would not fit
    /// in an AVP.
    /// </summary>
    public static bool TryHide(ushort attributeType, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> randomVector,
        ReadOnlySpan<byte> value, ReadOnlySpan<byte> padding, Span<byte> destination, out int written)
    {
        written = HiddenLength(value.Length, padding.Length);
        if (written > MaxValueLength || destination.Length < written)
        {
            written = 0;
            return false;
        }
        var output = destination[..written];
        BinaryPrimitives.WriteUInt16BigEndian(output, (ushort)value.Length);
        value.CopyTo(output[2..]);
        padding.CopyTo(output[(2 + value.Length)..]);

        Span<byte> hash = stackalloc byte[Block];
        FirstHash(attributeType, secret, randomVector, hash);
        for (var offset = 0; offset < output.Length; offset += Block)
        {
            var chunk = output.Slice(offset, Math.Min(Block, output.Length - offset));
            Xor(chunk, hash);
            if (offset + Block < output.Length)
            {
                // Next key block from the ciphertext just produced.
                ChainHash(secret, chunk, hash);
            }
        }
        return true;
    }

    /// <summary>
    /// Recovers the original value from a hidden Attribute Value. The value is written to
    /// <c>destination[..valueLength]</c>; padding is discarded. Fails with
    /// <see cref="L2tpParseStatus.HiddenValueTooShort"/> when there is no room for Original Length,
    /// <see cref="L2tpParseStatus.HiddenOriginalLengthTooLarge"/> when Original Length claims more
    /// octets than follow it, and <see cref="L2tpParseStatus.BufferTooSmall"/> when the
    /// destination cannot hold the value.
    /// </summary>
    public static L2tpParseStatus TryUnhide(ushort attributeType, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> randomVector,
        ReadOnlySpan<byte> hidden, Span<byte> destination, out int valueLength)
    {
        valueLength = 0;
        if (hidden.Length < 2)
        {
            return L2tpParseStatus.HiddenValueTooShort;
        }
        Span<byte> hash = stackalloc byte[Block];
        Span<byte> plain = stackalloc byte[Block];
        FirstHash(attributeType, secret, randomVector, hash);
        var length = -1;
        for (var offset = 0; offset < hidden.Length; offset += Block)
        {
            var cipher = hidden.Slice(offset, Math.Min(Block, hidden.Length - offset));
            var block = plain[..cipher.Length];
            cipher.CopyTo(block);
            Xor(block, hash);
            if (length < 0)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(block);
                if (length > hidden.Length - 2)
                {
                    return L2tpParseStatus.HiddenOriginalLengthTooLarge;
                }
                if (length > destination.Length)
                {
                    return L2tpParseStatus.BufferTooSmall;
                }
            }
            // Plaintext offset p maps to value offset p - 2; keep only octets inside the value.
            var from = Math.Max(offset, 2);
            var to = Math.Min(offset + block.Length, 2 + length);
            if (to > from)
            {
                block[(from - offset)..(to - offset)].CopyTo(destination[(from - 2)..]);
            }
            if (offset + Block >= 2 + length)
            {
                break; // the rest is padding
            }
            ChainHash(secret, cipher, hash);
        }
        valueLength = length;
        return L2tpParseStatus.Ok;
    }

    private static void FirstHash(ushort attributeType, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> randomVector, Span<byte> hash)
    {
        var total = 2 + secret.Length + randomVector.Length;
        byte[]? rented = null;
        Span<byte> buffer = total <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        BinaryPrimitives.WriteUInt16BigEndian(buffer, attributeType);
        secret.CopyTo(buffer[2..]);
        randomVector.CopyTo(buffer[(2 + secret.Length)..]);
        MD5.HashData(buffer[..total], hash);
        Return(rented, total);
    }

    private static void ChainHash(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> previousCipher, Span<byte> hash)
    {
        var total = secret.Length + previousCipher.Length;
        byte[]? rented = null;
        Span<byte> buffer = total <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(total));
        secret.CopyTo(buffer);
        previousCipher.CopyTo(buffer[secret.Length..]);
        MD5.HashData(buffer[..total], hash);
        Return(rented, total);
    }

    private static void Return(byte[]? rented, int used)
    {
        if (rented is not null)
        {
            // The buffer held the shared secret: wipe it before another renter sees it.
            rented.AsSpan(0, used).Clear();
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= key[i];
        }
    }
}
