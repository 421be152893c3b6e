using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>HTTP/1.1 to relayd's control API over its Unix socket, synchronously, for the tests.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    public ApiClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancel).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://relayd/"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public ApiAnswer Get(string path) => Send(HttpMethod.Get, path);

    public ApiAnswer Delete(string path) => Send(HttpMethod.Delete, path);

    public ApiAnswer Post(string path, string? json = null) => Send(HttpMethod.Post, path, json);

    public ApiAnswer Send(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        using var response = _http.Send(request);
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return new ApiAnswer(response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", reader.ReadToEnd());
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer: status, media type, body; <see cref="Json"/> parses the body.</summary>
internal sealed record ApiAnswer(HttpStatusCode Status, string MediaType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{(int)Status} {MediaType}\n{Body}";
}
