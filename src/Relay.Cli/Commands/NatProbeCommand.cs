using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Relay.Cli.Output;
using Relay.DataPlane.Stun;

namespace Relay.Cli.Commands;

/// <summary>
/// <c>relayctl nat-probe HOST[:PORT]</c>: STUN Binding requests (RFC 5389) from the IKE ports and the
/// L2TP port to relayd's NAT discovery service, and the same decision relay-client makes (direct
/// IPsec or the tunnel). Needs no control socket.
/// </summary>
internal static class NatProbeCommand
{
    public const int DefaultPort = 3478;

    public static Command Create(TextWriter stdout, TextWriter stderr, Option<bool> json)
    {
        var target = new Argument<string>("HOST[:PORT]") { Description = $"relayd's STUN service (listen.stun; port {DefaultPort} when omitted)" };
        var command = new Command("nat-probe", "ask relayd's STUN service whether a NAT is in the way (the same logic relay-client uses)") { target };
        command.SetAction(p =>
        {
            if (!TryResolve(p.GetValue(target)!, out var server, out var problem))
            {
                stderr.WriteLine($"relayctl: {problem}");
                return problem.StartsWith("cannot resolve", StringComparison.Ordinal) ? ExitCodes.Unavailable : ExitCodes.Usage;
            }
            var result = NatProbe.Run(new NatProbeOptions { Server = server });
            if (p.GetValue(json))
            {
                stdout.WriteLine(result.ToJson());
            }
            else
            {
                stdout.Write(Describe(result, server));
            }
            return result.Ports.Any(port => port.Outcome == PortProbeOutcome.Answered) ? ExitCodes.Ok : ExitCodes.Unavailable;
        });
        return command;
    }

    public static string Describe(NatProbeResult result, IPEndPoint server)
    {
        ArgumentNullException.ThrowIfNull(result);
        var nat = result.Nat switch { true => "yes", false => "no", _ => "unknown (no answer)" };
        var text = $"server    {server}\nnat       {nat}\nmapped    {result.Mapped?.ToString() ?? "-"} (local {result.Local?.ToString() ?? "-"})\n" +
                   $"decision  {result.Decision.ToString().ToLowerInvariant()}: {result.Reason}\n";
        var table = new Table("PORT", "OUTCOME", "LOCAL", "MAPPED", "DETAIL").RightAlign(0);
        foreach (var port in result.Ports)
        {
            table.Add(port.Port.ToString(CultureInfo.InvariantCulture), port.Outcome.ToString().ToLowerInvariant(),
                port.Local?.ToString() ?? "-", port.Mapped?.ToString() ?? "-", port.Detail ?? "");
        }
        return text + "\n" + table;
    }

    private static bool TryResolve(string text, out IPEndPoint server, out string problem)
    {
        server = new IPEndPoint(IPAddress.None, 0);
        problem = "";
        var host = text;
        var port = DefaultPort;
        if (IPEndPoint.TryParse(text, out var literal))
        {
            server = new IPEndPoint(literal.Address, literal.Port == 0 ? DefaultPort : literal.Port);
            return true;
        }
        var colon = text.LastIndexOf(':');
        if (colon > 0 && !text.Contains(']', StringComparison.Ordinal))
        {
            host = text[..colon];
            if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                problem = $"nat-probe: \"{text}\": the port must be 1 to 65535";
                return false;
            }
        }
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (address is null)
            {
                problem = $"cannot resolve {host}: no address";
                return false;
            }
            server = new IPEndPoint(address, port);
            return true;
        }
        catch (SocketException e)
        {
            problem = $"cannot resolve {host}: {e.Message}";
            return false;
        }
    }
}
