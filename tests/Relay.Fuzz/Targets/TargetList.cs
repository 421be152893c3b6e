namespace Relay.Fuzz.Targets;

internal static partial class TargetList
{
    public static void AddTo(List<IFuzzTarget> targets)
    {
    }
}
