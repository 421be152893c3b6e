using CsCheck;
using Relay.Wire.L2tp;

namespace Relay.Wire.Tests.L2tp;

public sealed class HiddenAvpCipherTests
{
    private const ushort Type = (ushort)AvpType.ProxyAuthenName;
    private static readonly byte[] Secret = "relay-test-secret"u8.ToArray();
    private static readonly byte[] RandomVector = Enumerable.Range(0xa0, 20).Select(b => (byte)b).ToArray();
    private static readonly byte[] Value = "alice@example.net/long-user-name"u8.ToArray();
    private static readonly byte[] Padding = [0x11, 0x11, 0x11, 0x11, 0x11];

    // Derived independently of this code base with Python's hashlib, straight from §4.3:
    //   sub = len(value).to_bytes(2,'big') + value + padding          (39 octets: 3 blocks, last short)
    //   b1 = md5(type.to_bytes(2,'big') + secret + rv); c1 = sub[0:16] ^ b1
    //   b(i) = md5(secret + c(i-1));                   c(i) = sub[16(i-1):16i] ^ b(i)
    // with type = 30, secret = b"relay-test-secret", rv = bytes(range(0xa0, 0xb4)),
    // value = b"alice@example.net/long-user-name", padding = b"\x11" * 5.
    private const string Expected = "977ab4ff337e02d57295056b7e07c0ddb8e44d18ff2b1b7674f52f02460b96b6aac236f44a3c64";

    [Fact]
    public void Hides_a_multi_block_value_exactly_as_the_hand_computed_vector()
    {
        var output = new byte[64];
        Assert.True(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, Value, Padding, output, out var written));
        Assert.Equal(Expected, Convert.ToHexStringLower(output, 0, written));
    }

    [Fact]
    public void Unhides_the_hand_computed_vector_and_drops_the_padding()
    {
        var output = new byte[64];
        var status = HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, Convert.FromHexString(Expected), output, out var length);
        Assert.Equal(L2tpParseStatus.Ok, status);
        Assert.Equal(Value, output[..length]);
    }

    [Fact]
    public void Hide_then_unhide_returns_the_value_for_any_length_and_padding()
    {
        Gen.Select(Gen.UShort, Gen.Byte.Array[0, 64], Gen.Byte.Array[0, 40], Gen.Byte.Array[0, 300], Gen.Byte.Array[0, 40])
            .Sample((type, secret, rv, value, padding) =>
            {
                var hidden = new byte[400];
                Assert.True(HiddenAvpCipher.TryHide(type, secret, rv, value, padding, hidden, out var written));
                Assert.Equal(2 + value.Length + padding.Length, written);
                var clear = new byte[400];
                Assert.Equal(L2tpParseStatus.Ok, HiddenAvpCipher.TryUnhide(type, secret, rv, hidden.AsSpan(0, written), clear, out var length));
                Assert.Equal(value, clear[..length]);
            });
    }

    [Fact]
    public void Long_secrets_and_vectors_beyond_the_stack_buffer_still_round_trip()
    {
        var secret = Enumerable.Range(0, 700).Select(i => (byte)i).ToArray();
        var rv = Enumerable.Range(0, 900).Select(i => (byte)(i * 7)).ToArray();
        var hidden = new byte[100];
        Assert.True(HiddenAvpCipher.TryHide(1, secret, rv, Value, default, hidden, out var written));
        var clear = new byte[100];
        Assert.Equal(L2tpParseStatus.Ok, HiddenAvpCipher.TryUnhide(1, secret, rv, hidden.AsSpan(0, written), clear, out var length));
        Assert.Equal(Value, clear[..length]);
    }

    [Fact]
    public void A_different_secret_does_not_recover_the_value()
    {
        var output = new byte[64];
        var status = HiddenAvpCipher.TryUnhide(Type, "wrong"u8, RandomVector, Convert.FromHexString(Expected), output, out var length);
        Assert.True(status != L2tpParseStatus.Ok || !output.AsSpan(0, length).SequenceEqual(Value));
    }

    [Fact]
    public void Rejects_a_hidden_value_too_short_for_the_original_length()
    {
        Assert.Equal(L2tpParseStatus.HiddenValueTooShort, HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, [0x42], new byte[8], out _));
        Assert.Equal(L2tpParseStatus.HiddenValueTooShort, HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, default, new byte[8], out _));
    }

    [Fact]
    public void Rejects_an_original_length_larger_than_what_follows()
    {
        // §4.3: build a subformat claiming 10 octets but carrying 9, hidden with the real keystream.
        var hidden = new byte[64];
        Assert.True(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, new byte[9], default, hidden, out var written));
        // The first two octets are Original Length XOR b1[0..2]: flipping bits there turns 9 into 10.
        hidden[1] ^= 9 ^ 10;
        var status = HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, hidden.AsSpan(0, written), new byte[64], out _);
        Assert.Equal(L2tpParseStatus.HiddenOriginalLengthTooLarge, status);
    }

    [Fact]
    public void Accepts_an_original_length_that_uses_every_octet()
    {
        var hidden = new byte[64];
        Assert.True(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, new byte[14], default, hidden, out var written));
        Assert.Equal(16, written);
        Assert.Equal(L2tpParseStatus.Ok, HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, hidden.AsSpan(0, 16), new byte[14], out var length));
        Assert.Equal(14, length);
    }

    [Fact]
    public void Reports_a_destination_too_small_for_the_value()
    {
        var hidden = new byte[64];
        Assert.True(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, Value, default, hidden, out var written));
        var status = HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, hidden.AsSpan(0, written), new byte[Value.Length - 1], out _);
        Assert.Equal(L2tpParseStatus.BufferTooSmall, status);
    }

    [Fact]
    public void Hide_refuses_a_small_destination_or_an_oversized_value()
    {
        Assert.False(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, Value, default, new byte[Value.Length + 1], out _));
        Assert.False(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, new byte[1016], default, new byte[2000], out _));
        Assert.True(HiddenAvpCipher.TryHide(Type, Secret, RandomVector, new byte[1015], default, new byte[2000], out _));
    }

    [Fact]
    public void Random_hidden_values_never_throw()
    {
        Gen.Byte.Array[0, 120].Sample(hidden =>
        {
            var status = HiddenAvpCipher.TryUnhide(Type, Secret, RandomVector, hidden, new byte[120], out var length);
            Assert.True(status != L2tpParseStatus.Ok || length <= hidden.Length - 2);
        }, iter: 5000);
    }
}
