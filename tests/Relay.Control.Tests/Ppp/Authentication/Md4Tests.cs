using System.Text;
using Relay.Control.Ppp.Authentication;

namespace Relay.Control.Tests.Ppp.Authentication;

public class Md4Tests
{
    // RFC 1320 appendix A.5, test suite.
    [Theory]
    [InlineData("", "31d6cfe0d16ae931b73c59d7e0c089c0")]
    [InlineData("a", "bde52cb31de33e46245e05fbdbd6fb24")]
    [InlineData("abc", "a448017aaf21d8525fc10ae87aa6729d")]
    [InlineData("message digest", "d9130a8164549fe818874806e1c7014b")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536")]
    public void Matches_the_RFC_1320_test_suite(string input, string expected)
    {
        var digest = new byte[Md4.HashSize];
        Md4.HashData(Encoding.ASCII.GetBytes(input), digest);
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Padding_boundaries_around_one_block_give_distinct_digests()
    {
        // 55, 56, 63, 64 and 65 octets exercise the one- and two-block tails.
        var seen = new HashSet<string>();
        foreach (var length in new[] { 55, 56, 57, 63, 64, 65, 119, 120, 128 })
        {
            var digest = new byte[Md4.HashSize];
            Md4.HashData(new byte[length], digest);
            Assert.True(seen.Add(Convert.ToHexString(digest)));
        }
    }
}
