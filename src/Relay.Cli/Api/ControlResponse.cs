using System.Net;
using System.Text.Json;

namespace Relay.Cli.Api;

/// <summary>One answer of the control API: the status, the body as received, and the body parsed (null when not JSON).</summary>
internal sealed class ControlResponse(HttpStatusCode status, string body) : IDisposable
{
    private readonly JsonDocument? _document = TryParse(body);

    public HttpStatusCode Status { get; } = status;

    public string Body { get; } = body;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The JSON body; throws <see cref="ControlApiException"/> when the body is not JSON.</summary>
    public JsonElement Json => _document?.RootElement ?? throw new ControlApiException(ExitCodes.Software, $"relayd answered {(int)Status} with a body that is not JSON");

    public bool HasJson => _document is not null;

    public void Dispose() => _document?.Dispose();

    private static JsonDocument? TryParse(string body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
