namespace Relay.DataPlane.Forwarding;

/// <summary>
/// Leased address → session over one pool's range: an array indexed by address − base, cut into
/// pages of 256 so that a publish copies only the pages it changes (a /12 pool is 4096 pages).
/// Snapshots share every page they did not change.
/// </summary>
internal readonly struct AddressIndex
{
    internal const int PageBits = 8;
    internal const int PageSize = 1 << PageBits;

    internal AddressIndex(uint first, uint length, ForwardingEntry?[]?[] pages)
    {
        First = first;
        Length = length;
        Pages = pages;
    }

    internal uint First { get; }

    internal uint Length { get; }

    internal ForwardingEntry?[]?[] Pages { get; }
}
