using System.Text.Json;
using System.Text.Json.Serialization;

namespace Relay.DataPlane.Stun;

/// <summary>The one-line JSON form of a <see cref="NatProbeResult"/> (source-generated, AOT-safe).</summary>
internal static class NatProbeJson
{
    public static string Serialize(NatProbeResult result)
    {
        var ports = new NatProbePortJson[result.Ports.Count];
        for (var i = 0; i < ports.Length; i++)
        {
            var p = result.Ports[i];
            ports[i] = new NatProbePortJson(p.Port, Name(p.Outcome), p.Local?.ToString(), p.Mapped?.ToString(), p.Detail);
        }
        var dto = new NatProbeResultJson(result.Nat, result.Mapped?.ToString(), result.Local?.ToString(),
            result.Decision == NatDecision.Tunnel ? "tunnel" : "direct", result.Reason, ports);
        return JsonSerializer.Serialize(dto, NatProbeJsonContext.Default.NatProbeResultJson);
    }

    public static string Name(PortProbeOutcome outcome) => outcome switch
    {
        PortProbeOutcome.Answered => "answered",
        PortProbeOutcome.NoAnswer => "no-answer",
        PortProbeOutcome.PortInUse => "port-in-use",
        PortProbeOutcome.SendFailed => "send-failed",
        _ => "error-response",
    };
}

internal sealed record NatProbeResultJson(bool? Nat, string? Mapped, string? Local, string Decision, string Reason, NatProbePortJson[] Ports);

internal sealed record NatProbePortJson(int Port, string Outcome, string? Local, string? Mapped, string? Detail);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(NatProbeResultJson))]
internal sealed partial class NatProbeJsonContext : JsonSerializerContext;
