namespace Relay.Benchmarks.Control;

/// <summary>
/// Managed bytes retained per established tunnel + session on the LNS side: the heap after a
/// full collection with N tunnels up, minus the heap with none, divided by N. Not a timing, so
/// not a BenchmarkDotNet benchmark: `relay-benchmarks --control-memory [N]`.
/// </summary>
internal static class ControlPlaneMemory
{
    public static void Report(int tunnels)
    {
        var before = Settle();
        var up = ControlPlaneHarness.Establish(tunnels, out var lns, out var lac);
        lac = null!;
        var after = Settle();
        GC.KeepAlive(lns);
        Console.WriteLine($"tunnels+sessions established on the LNS: {up}");
        Console.WriteLine($"LNS managed heap per tunnel+session: {(after - before) / (double)tunnels:N0} bytes ({tunnels:N0} tunnels, LAC engine released)");

        before = Settle();
        var ready = SessionHarness.Establish(tunnels, Relay.Control.Ppp.PppAuthMethod.ChapMd5, out var controller);
        after = Settle();
        GC.KeepAlive(controller);
        Console.WriteLine($"ready sessions (L2TP + PPP + lease) on the LNS: {ready}");
        Console.WriteLine($"LNS managed heap per ready session: {(after - before) / (double)tunnels:N0} bytes (LAC controller released)");
    }

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
