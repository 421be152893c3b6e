using System.Net;
using System.Net.Sockets;
using System.Text;
using Relay.Control.L2tp;
using Relay.Control.Ppp;
using Relay.Control.Ppp.Authentication;
using Relay.Control.Sessions;
using Relay.EndToEnd.Tests.Support;
using Relay.Topology;

namespace Relay.EndToEnd.Tests.ControlApi;

/// <summary>
/// The AOT relayd (pools "clients" 10.201.12.0/24 and "spare" 10.201.13.0/24, a secrets file with
/// alice, bob on a static address, and carol) in one namespace, our client stack (LacController)
/// in another, and an <see cref="ApiClient"/> on relayd's control socket. Metrics listen on
/// relayd's own address.
/// </summary>
internal sealed class ControlApiBed : IDisposable
{
    public const string RelaydAddress = "198.18.12.1";
    public const string ClientAddress = "198.18.12.2";
    public const string StaticAddress = "10.201.12.77";
    public const string MetricsListen = RelaydAddress + ":9641";
    public const string TunnelSecret = "s3cret";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<ControllerDriver> _drivers = [];
    private ushort _nextPort = 1701;

    /// <param name="beforeStart">Runs on the scratch directory before relayd starts (e.g. to leave a stale socket).</param>
    public ControlApiBed(Action<ScratchDirectory>? beforeStart = null)
    {
        Scratch = new ScratchDirectory();
        beforeStart?.Invoke(Scratch);
        Topology = new Topology.Topology();
        Server = Topology.AddNamespace("s");
        Client = Topology.AddNamespace("c");
        Topology.Link(Server, "eth0", $"{RelaydAddress}/24", Client, "eth0", $"{ClientAddress}/24");
        SecretsPath = Scratch.Write("ppp-secrets", $"""
            alice  *  "wonderland"  *
            bob    *  "builder"     {StaticAddress}
            carol  *  "singer"      *

            """);
        Relayd = Relayd.Start(Server, Scratch, RelaydAddress, TunnelSecret, helloIntervalSeconds: 60, Ppp(SecretsPath), Pools, metricsListen: MetricsListen);
        Api = new ApiClient(Relayd.ControlSocket);
    }

    public const string Pools = """[{ "name": "clients", "range": "10.201.12.0/24" }, { "name": "spare", "range": "10.201.13.0/24" }]""";

    public ScratchDirectory Scratch { get; }

    public Topology.Topology Topology { get; }

    public NetworkNamespace Server { get; }

    public NetworkNamespace Client { get; }

    public string SecretsPath { get; }

    public Relayd Relayd { get; }

    public ApiClient Api { get; }

    public string Trace => string.Join('\n', _drivers.Select(d => d.Trace)) + "\nrelayd:\n" + Relayd.Output;

    public static string Ppp(string secrets) => $$"""{ "secretsFile": "{{secrets}}", "auth": ["chap"] }""";

    /// <summary>The configuration file as <see cref="Relayd.Start"/> wrote it, with other pools and ppp (for reload tests).</summary>
    public string ConfigWith(string pools, string ppp, string extra = "")
        => $$"""
            {
              "listen": { "l2tp": "{{RelaydAddress}}:1701", "stun": "{{RelaydAddress}}:3478" },
              "tunnel": { "secret": "{{TunnelSecret}}", "hostName": "relay", "helloIntervalSeconds": 60 },
              "pools": {{pools}},
              "ppp": {{ppp}},
              "control": { "socket": "{{Relayd.ControlSocket}}" },
              "metrics": { "listen": "{{MetricsListen}}" }{{extra}}
            }
            """;

    /// <summary>A client (its own UDP port) dials relayd as <paramref name="user"/> and waits until PPP is up.</summary>
    public (ControllerDriver Driver, SessionReady Ready) Dial(string user, string password)
    {
        var driver = NewDriver(user, password);
        driver.Do((c, now) => c.Dial(now));
        return (driver, driver.WaitFor<SessionReady>(Timeout));
    }

    public ControllerDriver NewDriver(string user, string password)
    {
        var controller = new LacController(new LacOptions
        {
            Lns = new IPEndPoint(IPAddress.Parse(RelaydAddress), 1701),
            L2tp = new L2tpOptions { Role = L2tpRole.Lac, HostName = "relay-client", SecretFor = _ => Encoding.UTF8.GetBytes(TunnelSecret) },
            Ppp = new PppOptions
            {
                Role = PppRole.Peer,
                Name = user,
                AuthMethods = [PppAuthMethod.ChapMd5],
                Credentials = new ClientCredentials(user, password),
            },
        });
        var driver = new ControllerDriver(controller, NamespaceSockets.OpenUdp(Client, new IPEndPoint(IPAddress.Parse(ClientAddress), _nextPort++)));
        _drivers.Add(driver);
        return driver;
    }

    /// <summary>GET http://metrics.listen/metrics over TCP from inside relayd's namespace, parsed strictly.</summary>
    public Dictionary<string, double> Scrape(out string text) => Exposition.Parse(text = Metrics(HttpMethod.Get, "/metrics", out _, out var type).ThrowIfNotOk(type));

    /// <summary>Any request to the metrics port (a TCP socket made inside relayd's namespace).</summary>
    public MetricsAnswer Metrics(HttpMethod method, string path, out HttpStatusCode status, out string mediaType)
    {
        var endpoint = IPEndPoint.Parse(MetricsListen);
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancel) =>
            {
                var socket = NamespaceSockets.CreateInside(Server, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                try
                {
                    await socket.ConnectAsync(endpoint, cancel).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { Timeout = Timeout };
        using var response = http.Send(new HttpRequestMessage(method, $"http://{MetricsListen}{path}"));
        status = response.StatusCode;
        mediaType = response.Content.Headers.ContentType?.ToString() ?? "";
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return new MetricsAnswer(status, reader.ReadToEnd());
    }

    public void Dispose()
    {
        foreach (var driver in _drivers)
        {
            driver.Dispose();
        }
        Api.Dispose();
        Relayd.Dispose();
        Topology.Dispose();
        Scratch.Dispose();
    }
}

/// <summary>An answer of the metrics port.</summary>
internal sealed record MetricsAnswer(HttpStatusCode Status, string Body)
{
    public string ThrowIfNotOk(string mediaType)
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Body}");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", mediaType);
        return Body;
    }
}
