using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Relay.Cli.Api;
using Relay.Cli.Output;

namespace Relay.Cli.Commands;

/// <summary>
/// relayctl's commands (System.CommandLine): each one calls the control API on <c>--socket</c> and
/// prints an aligned table for people, or the API's JSON with <c>--json</c>.
/// </summary>
internal static class Cli
{
    public const string Description = """
        relayctl - the operator's command line for relayd's control API (HTTP+JSON on a Unix socket, root only).

        """ + ExitCodes.Help;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var root = Build(stdout, stderr);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine($"relayctl: {error.Message}");
            }
            stderr.WriteLine("Try 'relayctl --help'.");
            return ExitCodes.Usage;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var socket = new Option<string>("--socket")
        {
            Description = $"relayd's control socket (control.socket in its configuration; default {ControlClient.DefaultSocket})",
            HelpName = "PATH",
            Recursive = true,
            DefaultValueFactory = _ => ControlClient.DefaultSocket,
        };
        var json = new Option<bool>("--json") { Description = "print the control API's JSON instead of tables (for scripts)", Recursive = true };
        var root = new RootCommand(Description);
        root.Options.Add(socket);
        root.Options.Add(json);
        var io = new Io(stdout, stderr, socket, json);

        root.Subcommands.Add(Simple("status", "relayd's version, uptime, workers, counts and configuration digest", io, c => c.Get("v1/status"), Render.Status));
        root.Subcommands.Add(Simple("tunnels", "list the L2TP tunnels", io, c => c.Get("v1/tunnels"), Render.Tunnels));

        var user = new Option<string>("--user") { Description = "only this PPP user's sessions" };
        var address = new Option<string>("--address") { Description = "only the session holding this address" };
        var tunnel = new Option<string>("--tunnel") { Description = "only the sessions of this tunnel id" };
        var sessions = new Command("sessions", "list the sessions (L2TP + PPP), optionally filtered") { user, address, tunnel };
        sessions.SetAction(p => io.Call(p, c =>
        {
            var query = new List<string>();
            Add(query, "user", p.GetValue(user));
            Add(query, "address", p.GetValue(address));
            Add(query, "tunnel", p.GetValue(tunnel));
            return c.Get("v1/sessions" + (query.Count == 0 ? "" : "?" + string.Join('&', query)));
        }, Render.Sessions));
        root.Subcommands.Add(sessions);

        var show = new Command("show", "show one session or tunnel in detail");
        show.Subcommands.Add(WithId("session", "one session: peer, user, address, state, uptime, traffic", "TUNNEL:SESSION, as in the ID column of relayctl sessions", io,
            (c, id) => c.Get($"v1/sessions/{Uri.EscapeDataString(id)}"), Render.Session));
        show.Subcommands.Add(WithId("tunnel", "one tunnel: peer, state, sessions, uptime", "tunnel id", io,
            (c, id) => c.Get($"v1/tunnels/{Uri.EscapeDataString(id)}"), Render.Tunnel));
        root.Subcommands.Add(show);

        var kick = new Command("kick", "close a session (PPP Terminate, then CDN result 3) or a tunnel (StopCCN result 1) gracefully");
        kick.Subcommands.Add(WithId("session", "close one session", "TUNNEL:SESSION", io,
            (c, id) => c.Delete($"v1/sessions/{Uri.EscapeDataString(id)}"), s => $"session {s.GetProperty("id").GetString()}: closing (PPP Terminate-Request, then CDN)\n"));
        kick.Subcommands.Add(WithId("tunnel", "close one tunnel and all its sessions", "tunnel id", io,
            (c, id) => c.Delete($"v1/tunnels/{Uri.EscapeDataString(id)}"), t => $"tunnel {t.GetProperty("id").GetRawText()}: closing (StopCCN sent, {t.GetProperty("sessions").GetRawText()} session(s) cleared)\n"));
        root.Subcommands.Add(kick);

        var leases = new Option<bool>("--leases") { Description = "also list every lease (address, session, static or dynamic)" };
        var pools = new Command("pools", "list the address pools: size, usable, used, free") { leases };
        pools.SetAction(p => io.Call(p, c => c.Get(p.GetValue(leases) ? "v1/pools?leases=true" : "v1/pools"), Render.Pools));
        root.Subcommands.Add(pools);
        root.Subcommands.Add(PoolCommands(io));

        root.Subcommands.Add(Simple("reload", "re-read relayd's configuration file (as SIGHUP); a bad file is refused whole", io,
            c => c.Post("v1/reload", null), Render.Reload));
        root.Subcommands.Add(Simple("stats", "every counter relayd keeps (the /metrics series)", io, c => c.Get("v1/stats"), Render.Stats));
        root.Subcommands.Add(WatchCommand(io));
        return root;
    }

    private static Command PoolCommands(Io io)
    {
        var pool = new Command("pool", "add or remove an address pool at run time (the next reload makes the pools those of the file again)");
        var name = new Argument<string>("NAME") { Description = "pool name" };
        var range = new Argument<string>("RANGE") { Description = "IPv4 CIDR, like 10.202.0.0/24" };
        var realm = new Option<string>("--realm") { Description = "private (between sessions) or public (routed via TUN)", DefaultValueFactory = _ => "private" };
        realm.AcceptOnlyFromAmong("private", "public");
        var exclude = new Option<string[]>("--exclude") { Description = "an address or CIDR never leased (repeatable)", AllowMultipleArgumentsPerToken = false };
        var add = new Command("add", "add a pool") { name, range, realm, exclude };
        add.SetAction(p => io.Call(p, c =>
        {
            var body = JsonSerializer.Serialize(new PoolBody(p.GetValue(name)!, p.GetValue(range)!, p.GetValue(realm)!, p.GetValue(exclude) ?? []), CliJsonContext.Default.PoolBody);
            return c.Post("v1/pools", body);
        }, Render.Pool));
        pool.Subcommands.Add(add);
        var removeName = new Argument<string>("NAME") { Description = "pool name" };
        var drain = new Option<bool>("--drain") { Description = "if leases are held: stop new leases and remove the pool when the last one ends" };
        var remove = new Command("remove", "remove a pool (refused while it holds leases, unless --drain)") { removeName, drain };
        remove.SetAction(p => io.Call(p, c => c.Delete($"v1/pools/{Uri.EscapeDataString(p.GetValue(removeName)!)}{(p.GetValue(drain) ? "?drain=true" : "")}"),
            r => r.ValueKind == JsonValueKind.Object
                ? $"pool {r.GetProperty("name").GetString()}: draining, {r.GetProperty("used").GetRawText()} lease(s) left; removed when the last ends\n"
                : $"pool {p.GetValue(removeName)}: removed\n"));
        pool.Subcommands.Add(remove);
        return pool;
    }

    private static Command WatchCommand(Io io)
    {
        var interval = new Option<double>("--interval") { Description = "seconds between samples", DefaultValueFactory = _ => 1.0 };
        var count = new Option<int>("--count") { Description = "frames to print, then exit (0: until interrupted)" };
        var watch = new Command("watch", "live per-second rates of every counter that moves (from /v1/stats)") { interval, count };
        watch.SetAction(p =>
        {
            var seconds = p.GetValue(interval);
            if (seconds is < 0.1 or > 3600)
            {
                io.Stderr.WriteLine("relayctl: --interval must be between 0.1 and 3600 seconds");
                return ExitCodes.Usage;
            }
            return io.Guard(p, client =>
            {
                var previous = io.Expect(client.Get("v1/stats"));
                var taken = DateTime.UtcNow;
                using var period = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
                for (var frame = 0; p.GetValue(count) == 0 || frame < p.GetValue(count); frame++)
                {
                    period.WaitForNextTickAsync().AsTask().GetAwaiter().GetResult();
                    var current = io.Expect(client.Get("v1/stats"));
                    var now = DateTime.UtcNow;
                    var elapsed = (now - taken).TotalSeconds;
                    if (p.GetValue(io.Json))
                    {
                        io.Stdout.WriteLine(Rates.Json(previous.Json, current.Json, elapsed, now));
                    }
                    else
                    {
                        io.Stdout.Write(Render.Rates(previous.Json, current.Json, elapsed, now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)));
                        io.Stdout.WriteLine();
                    }
                    io.Stdout.Flush();
                    previous.Dispose();
                    (previous, taken) = (current, now);
                }
                previous.Dispose();
                return ExitCodes.Ok;
            });
        });
        return watch;
    }

    private static Command Simple(string name, string description, Io io, Func<ControlClient, ControlResponse> request, Func<JsonElement, string> human)
    {
        var command = new Command(name, description);
        command.SetAction(p => io.Call(p, request, human));
        return command;
    }

    private static Command WithId(string name, string description, string idHelp, Io io, Func<ControlClient, string, ControlResponse> request, Func<JsonElement, string> human)
    {
        var id = new Argument<string>("ID") { Description = idHelp };
        var command = new Command(name, description) { id };
        command.SetAction(p => io.Call(p, c => request(c, p.GetValue(id)!), human));
        return command;
    }

    private static void Add(List<string> query, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add($"{key}={Uri.EscapeDataString(value)}");
        }
    }

    /// <summary>Where the output goes and how a request's answer becomes output and an exit code.</summary>
    private sealed class Io(TextWriter stdout, TextWriter stderr, Option<string> socket, Option<bool> json)
    {
        public TextWriter Stdout { get; } = stdout;

        public TextWriter Stderr { get; } = stderr;

        public Option<bool> Json { get; } = json;

        public int Call(ParseResult p, Func<ControlClient, ControlResponse> request, Func<JsonElement, string> human)
            => Guard(p, client =>
            {
                using var response = Expect(request(client));
                if (p.GetValue(Json))
                {
                    if (response.Body.Length > 0)
                    {
                        Stdout.WriteLine(response.Body);
                    }
                }
                else
                {
                    Stdout.Write(response.HasJson ? human(response.Json) : human(default));
                }
                return ExitCodes.Ok;
            });

        public int Guard(ParseResult p, Func<ControlClient, int> body)
        {
            using var client = new ControlClient(p.GetValue(socket)!);
            try
            {
                return body(client);
            }
            catch (ControlApiException e)
            {
                if (e.Data["problem"] is string problem && p.GetValue(Json))
                {
                    Stdout.WriteLine(problem);
                }
                var message = e.Message.StartsWith("relayctl: ", StringComparison.Ordinal) ? e.Message : "relayctl: " + e.Message;
                Stderr.Write(message.EndsWith('\n') ? message : message + "\n");
                return e.ExitCode;
            }
        }

        /// <summary>The response when it is a success; else the problem becomes a <see cref="ControlApiException"/> with its exit code.</summary>
        public ControlResponse Expect(ControlResponse response)
        {
            if (response.IsSuccess)
            {
                return response;
            }
            using (response)
            {
                var code = response.Status switch
                {
                    HttpStatusCode.NotFound => ExitCodes.NotFound,
                    HttpStatusCode.ServiceUnavailable => ExitCodes.Unavailable,
                    >= HttpStatusCode.InternalServerError => ExitCodes.Software,
                    _ => ExitCodes.Refused,
                };
                var message = response.HasJson && response.Json.ValueKind == JsonValueKind.Object && response.Json.TryGetProperty("title", out _)
                    ? Render.Problem(response.Json)
                    : $"relayctl: relayd answered {(int)response.Status} {response.Status}\n";
                var exception = new ControlApiException(code, message);
                exception.Data["problem"] = response.Body;
                throw exception;
            }
        }
    }
}
