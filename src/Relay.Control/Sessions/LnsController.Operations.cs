using Relay.Control.Addressing;
using Relay.Control.L2tp;

namespace Relay.Control.Sessions;

public sealed partial class LnsController
{
    /// <summary>The PPP side of a session (user, leased address, phase); false for an unknown key.</summary>
    public bool TryGetSession(SessionKey key, out LnsSessionInfo info)
    {
        if (!_sessions.TryGetValue(key, out var context))
        {
            info = default;
            return false;
        }
        info = new LnsSessionInfo(context.User, context.Address, context.Ready, context.Ppp.Phase);
        return true;
    }

    /// <summary>
    /// Reload: takes new options without dropping a session. Pools are reconciled first
    /// (<see cref="LeaseTable.TryReconcile"/>, all or nothing); then the L2TP engine takes its new
    /// secrets and limits and new sessions get the new PPP options (credentials, methods, DNS, MRU).
    /// Established sessions keep the PPP options they were opened with. relayd's own addresses
    /// cannot change (they are the IPCP server address of every live session).
    /// </summary>
    /// <returns>The problems; empty when the options were applied.</returns>
    public IReadOnlyList<PoolProblem> Reconfigure(LnsOptions options, out PoolChanges changes)
    {
        ArgumentNullException.ThrowIfNull(options);
        changes = new PoolChanges();
        if (!options.ServerAddresses.SequenceEqual(Leases.ServerAddresses.ToArray()))
        {
            return [new PoolProblem("ppp.localAddress", "",
                $"relayd's own PPP address would change from {string.Join(", ", Leases.ServerAddresses.ToArray().Select(Ipv4Address.Format))} to {string.Join(", ", options.ServerAddresses.Select(Ipv4Address.Format))}; live sessions use it, so restart relayd to change it")];
        }
        var problems = Leases.TryReconcile(options.Pools, out changes);
        if (problems.Count > 0)
        {
            return problems;
        }
        L2tp.Reconfigure(options.L2tp with { Role = L2tpRole.Lns });
        _options = options;
        return problems;
    }
}
