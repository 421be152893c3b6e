namespace Relay.Client.Tunnel;

/// <summary>Packet and drop counters of the data path, one slot per <see cref="DataVerdict"/>, plus octets each way.</summary>
internal sealed class DataCounters
{
    private readonly long[] _verdicts = new long[Enum.GetValues<DataVerdict>().Length];

    public long PacketsToTun { get; private set; }

    public long PacketsFromTun { get; private set; }

    public long OctetsToTun { get; private set; }

    public long OctetsFromTun { get; private set; }

    public long this[DataVerdict verdict] => _verdicts[(int)verdict];

    public void Count(DataVerdict verdict) => _verdicts[(int)verdict]++;

    public void ToTun(int octets)
    {
        PacketsToTun++;
        OctetsToTun += octets;
    }

    public void FromTun(int octets)
    {
        PacketsFromTun++;
        OctetsFromTun += octets;
    }

    public override string ToString()
    {
        var text = $"to-tun={PacketsToTun} ({OctetsToTun} octets) from-tun={PacketsFromTun} ({OctetsFromTun} octets)";
        foreach (var verdict in Enum.GetValues<DataVerdict>())
        {
            if (verdict >= DataVerdict.DroppedMalformed)
            {
                text += $" {Name(verdict)}={this[verdict]}";
            }
        }
        return text;
    }

    private static string Name(DataVerdict verdict) => verdict switch
    {
        DataVerdict.DroppedMalformed => "dropped-malformed",
        DataVerdict.DroppedOtherSession => "dropped-other-session",
        DataVerdict.DroppedNotIpv4 => "dropped-not-ipv4",
        DataVerdict.DroppedTunNotIpv4 => "dropped-tun-not-ipv4",
        DataVerdict.DroppedNoSession => "dropped-no-session",
        _ => "dropped-io-error",
    };
}
