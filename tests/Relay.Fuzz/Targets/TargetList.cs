namespace Relay.Fuzz.Targets;

internal static class TargetList
{
    public static void AddTo(List<IFuzzTarget> targets)
    {
        targets.Add(new L2tpFuzzTarget());
        targets.Add(new PppFuzzTarget());
        targets.Add(new Ipv4FuzzTarget());
        targets.Add(new StunFuzzTarget());
        targets.Add(new ChapSecretsFuzzTarget());
    }
}
