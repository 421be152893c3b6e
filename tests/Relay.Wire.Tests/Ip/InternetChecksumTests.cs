using System.Buffers.Binary;
using CsCheck;
using Relay.Wire.Ip;

namespace Relay.Wire.Tests.Ip;

public sealed class InternetChecksumTests
{
    [Fact]
    public void Sums_the_example_of_rfc_1071()
    {
        // RFC 1071 §3: 0001 f203 f4f5 f6f7 sums to 2ddf0, folded ddf2.
        byte[] data = [0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7];

        Assert.Equal(0xDDF2u, InternetChecksum.Sum(data));
        Assert.Equal((ushort)0x220D, InternetChecksum.Compute(data));
    }

    [Fact]
    public void Pads_an_odd_last_octet_with_zero()
    {
        // RFC 1071 §4.1: the odd octet is the high half of a word.
        Assert.Equal(0xAB00u, InternetChecksum.Sum([0xAB]));
        Assert.Equal(0x0102u + 0x0300u, InternetChecksum.Sum([0x01, 0x02, 0x03]));
    }

    [Fact]
    public void The_chunked_sum_equals_a_word_by_word_sum_at_any_length_and_alignment()
        => Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 7], Gen.UShort).Sample(t =>
        {
            var (bytes, skip, initial) = t;
            var data = bytes.AsSpan(Math.Min(skip, bytes.Length));
            Assert.Equal(ReferenceChecksum.Sum(data, initial), InternetChecksum.Sum(data, initial));
        });

    [Fact]
    public void Sums_chain_across_spans_of_even_length()
        => Gen.Select(Gen.Byte.Array[0, 100], Gen.Byte.Array[0, 101]).Sample(t =>
        {
            var (a, b) = t;
            if ((a.Length & 1) != 0)
            {
                a = a[..^1];
            }
            Assert.Equal(InternetChecksum.Sum([.. a, .. b]), InternetChecksum.Sum(b, InternetChecksum.Sum(a)));
        });

    [Fact]
    public void Data_including_its_checksum_verifies_to_zero()
        => Gen.Select(Gen.Byte.Array[2, 200], Gen.Int[0, 99]).Sample(t =>
        {
            var (data, at) = t;
            var offset = Math.Min(at * 2, (data.Length - 2) & ~1);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), 0);
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), InternetChecksum.Compute(data));

            Assert.Equal(0, InternetChecksum.Compute(data));
        });

    [Fact]
    public void Pseudo_header_sum_matches_the_octets_it_stands_for()
        => Gen.Select(Gen.UInt, Gen.UInt, Gen.Byte, Gen.UShort).Sample(t =>
        {
            var (source, destination, protocol, length) = t;
            var pseudo = new byte[12];
            BinaryPrimitives.WriteUInt32BigEndian(pseudo, source);
            BinaryPrimitives.WriteUInt32BigEndian(pseudo.AsSpan(4), destination);
            pseudo[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), length);

            Assert.Equal(ReferenceChecksum.Sum(pseudo), InternetChecksum.PseudoHeaderSum(source, destination, protocol, length));
        });

    [Fact]
    public void Incremental_update_of_a_word_equals_full_recomputation()
        => Gen.Select(Ipv4HeaderTests.Headers, Gen.Int[0, 9], Gen.UShort).Sample(t =>
        {
            // RFC 1624 §3, eqn. 3. Word 0 keeps version 4 so the header never sums to zero.
            var (header, word, value) = t;
            if (word == 5 || word == 0)
            {
                return;
            }
            var offset = word * 2;
            var old = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(offset));
            var checksum = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10));
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(offset), value);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0);

            Assert.Equal(ReferenceChecksum.Checksum(header), InternetChecksum.Update(checksum, old, value));
        });

    [Fact]
    public void Incremental_update_of_an_address_equals_full_recomputation()
        => Gen.Select(Ipv4HeaderTests.Headers, Gen.UInt, Gen.Bool).Sample(t =>
        {
            var (header, address, destination) = t;
            var offset = destination ? 16 : 12;
            var old = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(offset));
            var checksum = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(10));
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(offset), address);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(10), 0);

            Assert.Equal(ReferenceChecksum.Checksum(header), InternetChecksum.Update(checksum, old, address));
        });

    [Fact]
    public void Fold_carries_every_overflow_back_into_sixteen_bits()
    {
        Assert.Equal(0xFFFF, InternetChecksum.Fold(0xFFFF));
        Assert.Equal(0x0001, InternetChecksum.Fold(0x1_0000));
        Assert.Equal(0xFFFF, InternetChecksum.Fold(0xFFFF_FFFF_FFFF_FFFF));
        Assert.Equal(0x0002, InternetChecksum.Fold(0x1_0000_0001));
    }
}
