using Relay.Control.Addressing;

namespace Relay.Control.Tests.Addressing;

/// <summary>Short spellings for addresses and prefixes in tests.</summary>
internal static class Ip
{
    public static uint A(string text) => Ipv4Address.TryParse(text, out var address) ? address : throw new FormatException(text);

    public static Ipv4Prefix P(string text) => Ipv4Prefix.Parse(text);

    public static SessionKey S(ushort tunnel, ushort session) => new(tunnel, session);

    public static PoolDefinition Pool(string name, string range, params string[] exclusions)
        => new(name, P(range), PoolRealm.Private, [.. exclusions.Select(P)]);
}
