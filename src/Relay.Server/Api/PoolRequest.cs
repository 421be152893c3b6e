using Relay.Control.Addressing;
using Relay.Server.Configuration;
using Relay.Server.Hosting;
using Relay.Server.Lns;

namespace Relay.Server.Api;

/// <summary>
/// POST /v1/pools: the body is a pool object of the configuration file (name, range, realm,
/// exclusions), checked by the same validator as the file, with field names relative to the pool.
/// </summary>
internal static class PoolRequest
{
    public static List<ApiFieldError> Validate(PoolConfig pool, RelayConfig running)
    {
        var errors = new List<ApiFieldError>();
        foreach (var error in ConfigValidator.ValidatePoolList([pool]))
        {
            errors.Add(new(FieldOf(error.Path), error.Message));
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        // The pool must not hand out an address of this host; relayd's own PPP address stays the running one.
        var local = Ipv4Address.Format(LnsOptionsFactory.LocalAddress(running));
        var probe = running with { Pools = [pool], Ppp = running.Ppp with { LocalAddress = local } };
        foreach (var clash in Daemon.PoolsContainingHostAddresses(probe))
        {
            var colon = clash.IndexOf(": ", StringComparison.Ordinal);
            errors.Add(new(FieldOf(clash[..colon]), clash[(colon + 2)..].Replace("pools[0].", "", StringComparison.Ordinal)));
        }
        return errors;
    }

    public static PoolDefinition ToDefinition(PoolConfig pool)
    {
        Ipv4Cidr.TryParse(pool.Range, out var cidr);
        var exclusions = pool.Exclusions.Select(Ipv4Prefix.Parse).ToList();
        return new PoolDefinition(pool.Name, new Ipv4Prefix(cidr.Network, cidr.PrefixLength), pool.Realm == "public" ? PoolRealm.Public : PoolRealm.Private, exclusions);
    }

    /// <summary>"pools[3].range" becomes "range": the request body is one pool.</summary>
    public static string FieldOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var close = path.StartsWith("pools[", StringComparison.Ordinal) ? path.IndexOf(']', StringComparison.Ordinal) : -1;
        return close < 0 ? path : close + 1 < path.Length ? path[(close + 2)..] : "$";
    }
}
