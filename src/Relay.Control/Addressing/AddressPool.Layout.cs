namespace Relay.Control.Addressing;

public sealed partial class AddressPool
{
    /// <summary>
    /// One flag byte per address of the range: <see cref="Open"/> or the reason it is not.
    /// Exclusions and server addresses outside the range are ignored (the validator reports the former).
    /// </summary>
    internal static byte[] BuildFlags(PoolDefinition definition, ReadOnlySpan<uint> serverAddresses, out int usable)
    {
        var range = definition.Range;
        var flags = new byte[(int)range.Size];
        if (range.PrefixLength <= 30)
        {
            flags[0] = Boundary;
            flags[^1] = Boundary;
        }
        foreach (var exclusion in definition.Exclusions)
        {
            if (!range.Overlaps(exclusion))
            {
                continue;
            }
            // Clip to the range: an exclusion larger than the range excludes all of it.
            var first = Math.Max(exclusion.Network, range.Network) - range.Network;
            var last = Math.Min(exclusion.Last, range.Last) - range.Network;
            for (var offset = first; offset <= last; offset++)
            {
                if (flags[offset] == Open)
                {
                    flags[offset] = Excluded;
                }
            }
        }
        foreach (var server in serverAddresses)
        {
            if (range.Contains(server))
            {
                // A server address wins over an exclusion or boundary: "Reserved" is what it is.
                flags[server - range.Network] = Server;
            }
        }
        usable = 0;
        foreach (var flag in flags)
        {
            if (flag == Open)
            {
                usable++;
            }
        }
        return flags;
    }
}
