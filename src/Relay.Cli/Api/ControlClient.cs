using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Relay.Cli.Api;

/// <summary>
/// HTTP/1.1 to relayd's control API over its Unix socket. Connection failures become
/// <see cref="ControlApiException"/> with the exit code that says why (not running, permission).
/// </summary>
internal sealed class ControlClient : IDisposable
{
    public const string DefaultSocket = "/run/relay/control.sock";

    private readonly HttpClient _http;

    public ControlClient(string socketPath, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
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
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://relayd/"), Timeout = timeout ?? TimeSpan.FromSeconds(15) };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public string SocketPath { get; }

    public ControlResponse Get(string path) => Send(HttpMethod.Get, path, null);

    public ControlResponse Delete(string path) => Send(HttpMethod.Delete, path, null);

    public ControlResponse Post(string path, string? json) => Send(HttpMethod.Post, path, json);

    public void Dispose() => _http.Dispose();

    private ControlResponse Send(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        try
        {
            using var response = _http.Send(request);
            using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
            return new ControlResponse(response.StatusCode, reader.ReadToEnd());
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw socket.SocketErrorCode switch
            {
                SocketError.AccessDenied => new ControlApiException(ExitCodes.NoPermission,
                    $"permission denied on {SocketPath}: the control API is root only (run relayctl as root)"),
                _ when !File.Exists(SocketPath) => new ControlApiException(ExitCodes.Unavailable,
                    $"no control socket at {SocketPath} (is relayd running? see control.socket in its configuration, or pass --socket)"),
                _ => new ControlApiException(ExitCodes.Unavailable,
                    $"cannot reach relayd on {SocketPath}: {socket.Message} (is relayd running? see control.socket in its configuration, or pass --socket)"),
            };
        }
        catch (HttpRequestException e)
        {
            throw new ControlApiException(ExitCodes.Unavailable, $"relayd on {SocketPath}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new ControlApiException(ExitCodes.Unavailable, $"relayd on {SocketPath} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }
}
