namespace Relay.Fuzz;

/// <summary>
/// Structure-unaware mutations in the style of libFuzzer's default mutators: bit flips,
/// interesting values written over 8/16/32-bit fields (length fields are where parsers break),
/// insertions, deletions, truncation, chunk duplication and splicing with another seed.
/// </summary>
internal sealed class Mutator(Random random, int maxLength)
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x08, 0x10, 0x7f, 0x80, 0xc0, 0xfe, 0xff];
    private static readonly ushort[] InterestingShorts = [0, 1, 2, 4, 5, 6, 7, 8, 12, 16, 20, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x7fff, 0x8000, 0xfffe, 0xffff];

    public int Mutate(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> other, Span<byte> output)
    {
        var length = Math.Min(seed.Length, output.Length);
        seed[..length].CopyTo(output);
        var rounds = 1 + random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            length = MutateOnce(output, length, other);
        }
        return length;
    }

    private int MutateOnce(Span<byte> buffer, int length, ReadOnlySpan<byte> other)
    {
        switch (random.Next(10))
        {
            case 0 when length > 0:
                buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                return length;
            case 1 when length > 0:
                buffer[random.Next(length)] = InterestingBytes[random.Next(InterestingBytes.Length)];
                return length;
            case 2 when length > 1:
            {
                var at = random.Next(length - 1);
                var value = InterestingShorts[random.Next(InterestingShorts.Length)];
                buffer[at] = (byte)(value >> 8);
                buffer[at + 1] = (byte)value;
                return length;
            }
            case 3 when length > 0:
                buffer[random.Next(length)] = (byte)random.Next(256);
                return length;
            case 4 when length > 0:
                return random.Next(length);
            case 5 when length < maxLength:
            {
                var at = random.Next(length + 1);
                var count = Math.Min(1 + random.Next(8), maxLength - length);
                buffer.Slice(at, length - at).CopyTo(buffer[(at + count)..]);
                random.NextBytes(buffer.Slice(at, count));
                return length + count;
            }
            case 6 when length > 1:
            {
                var at = random.Next(length);
                var count = 1 + random.Next(Math.Min(8, length - at));
                buffer[(at + count)..length].CopyTo(buffer[at..]);
                return length - count;
            }
            case 7 when length > 2 && length < maxLength:
            {
                var from = random.Next(length);
                var count = Math.Min(1 + random.Next(Math.Min(32, length - from)), maxLength - length);
                var to = random.Next(length + 1);
                Span<byte> chunk = stackalloc byte[count];
                buffer.Slice(from, count).CopyTo(chunk);
                buffer.Slice(to, length - to).CopyTo(buffer[(to + count)..]);
                chunk.CopyTo(buffer[to..]);
                return length + count;
            }
            case 8 when other.Length > 0:
            {
                var cut = random.Next(length + 1);
                var from = random.Next(other.Length);
                var count = Math.Min(other.Length - from, maxLength - cut);
                other.Slice(from, count).CopyTo(buffer[cut..]);
                return cut + count;
            }
            default:
                if (length > 0)
                {
                    buffer[random.Next(length)]++;
                }
                return length;
        }
    }
}
