using CsCheck;
using Relay.Control.Addressing;
using static Relay.Control.Tests.Addressing.Ip;

namespace Relay.Control.Tests.Addressing;

/// <summary>Random operation sequences against a plain reference model: FIFO free lists and a dictionary.</summary>
public class LeaseTableModelTests
{
    private const int LeaseOp = 0, StaticOp = 1, ReleaseOp = 2;

    private static readonly string[] PoolNames = ["a", "b", "missing"];

    // Every address of both pools, their neighbours, and one outside any pool.
    private static readonly uint[] Candidates =
        [.. Enumerable.Range(0, 9).Select(i => A("10.0.0.0") + (uint)i), .. Enumerable.Range(0, 4).Select(i => A("10.0.1.0") + (uint)i), A("10.0.2.1")];

    private static LeaseTable NewTable() => new(
        [Pool("a", "10.0.0.0/29", "10.0.0.3", "10.0.0.5"), Pool("b", "10.0.1.0/30")],
        [A("10.0.0.5")]);

    private sealed class Model
    {
        public readonly Dictionary<string, List<uint>> Free = new()
        {
            ["a"] = [A("10.0.0.1"), A("10.0.0.2"), A("10.0.0.4"), A("10.0.0.6")],
            ["b"] = [A("10.0.1.1"), A("10.0.1.2")],
        };

        public readonly Dictionary<SessionKey, (uint Address, string Pool, bool IsStatic)> Leases = [];

        public static string? PoolOf(uint address)
            => P("10.0.0.0/29").Contains(address) ? "a" : P("10.0.1.0/30").Contains(address) ? "b" : null;

        public (LeaseResult, uint) Lease(string pool, SessionKey session)
        {
            if (!session.IsValid)
            {
                return (LeaseResult.InvalidSession, 0);
            }
            if (Leases.TryGetValue(session, out var held))
            {
                return (LeaseResult.AlreadyLeased, held.Address);
            }
            if (!Free.TryGetValue(pool, out var free))
            {
                return (LeaseResult.UnknownPool, 0);
            }
            if (free.Count == 0)
            {
                return (LeaseResult.Exhausted, 0);
            }
            var address = free[0];
            free.RemoveAt(0);
            Leases.Add(session, (address, pool, false));
            return (LeaseResult.Ok, address);
        }

        public LeaseResult LeaseStatic(SessionKey session, uint address)
        {
            if (!session.IsValid)
            {
                return LeaseResult.InvalidSession;
            }
            if (Leases.ContainsKey(session))
            {
                return LeaseResult.AlreadyLeased;
            }
            if (PoolOf(address) is not { } pool)
            {
                return LeaseResult.NotInAnyPool;
            }
            if (address == A("10.0.0.3"))
            {
                return LeaseResult.Excluded;
            }
            if (address == A("10.0.0.5") || (address & 3) is 0 or 3 && pool == "b" || (address & 7) is 0 or 7 && pool == "a")
            {
                return LeaseResult.Reserved;
            }
            if (!Free[pool].Remove(address))
            {
                return LeaseResult.AddressInUse;
            }
            Leases.Add(session, (address, pool, true));
            return LeaseResult.Ok;
        }

        public (LeaseResult, uint) Release(SessionKey session)
        {
            if (!Leases.Remove(session, out var held))
            {
                return (LeaseResult.NotLeased, 0);
            }
            Free[held.Pool].Add(held.Address);
            return (LeaseResult.Ok, held.Address);
        }
    }

    private static void AssertAgrees(LeaseTable table, Model model)
    {
        Assert.Equal(model.Leases.Count, model.Leases.Values.Select(l => l.Address).Distinct().Count());
        Assert.Equal(model.Leases.Count, table.Count);
        var listed = table.Leases.ToList();
        Assert.Equal(listed.Count, listed.Select(l => l.Address).Distinct().Count());
        Assert.Equal(
            model.Leases.Select(l => new Lease(l.Key, l.Value.Address, l.Value.Pool, l.Value.IsStatic)).OrderBy(l => l.Address),
            listed.OrderBy(l => l.Address));
        foreach (var (session, held) in model.Leases)
        {
            Assert.True(table.TryFindAddress(session, out var address));
            Assert.Equal(held.Address, address);
        }
        foreach (var candidate in Candidates)
        {
            var leased = model.Leases.Where(l => l.Value.Address == candidate).Select(l => l.Key).ToList();
            Assert.Equal(leased.Count == 1, table.TryFindSession(candidate, out var session));
            Assert.Equal(leased.SingleOrDefault(), session);
        }
        foreach (var pool in table.Pools)
        {
            var used = model.Leases.Values.Count(l => l.Pool == pool.Name);
            Assert.Equal((used, model.Free[pool.Name].Count), (pool.Used, pool.Free));
            Assert.Equal(pool.Usable, pool.Used + pool.Free);
        }
    }

    [Fact]
    public void Random_lease_static_and_release_sequences_agree_with_a_reference_model_at_every_step()
    {
        var op = Gen.Select(Gen.Int[0, 2], Gen.Int[0, PoolNames.Length - 1], Gen.UShort[0, 2], Gen.UShort[0, 3], Gen.Int[0, Candidates.Length - 1]);
        op.Array[1, 80].Sample(ops =>
        {
            var table = NewTable();
            var model = new Model();
            foreach (var (kind, pool, tunnel, session, candidate) in ops)
            {
                var key = S(tunnel, session);
                switch (kind)
                {
                    case LeaseOp:
                        var result = table.TryLease(PoolNames[pool], key, out var address);
                        var expected = model.Lease(PoolNames[pool], key);
                        Assert.Equal(expected.Item1, result);
                        Assert.Equal(expected.Item2, result is LeaseResult.Ok or LeaseResult.AlreadyLeased ? address : 0);
                        break;
                    case StaticOp:
                        Assert.Equal(model.LeaseStatic(key, Candidates[candidate]), table.TryLeaseStatic(key, Candidates[candidate]));
                        break;
                    default:
                        Assert.Equal(model.Release(key), (table.Release(key, out var released), released));
                        break;
                }
                AssertAgrees(table, model);
            }
        }, iter: 2000);
    }
}
