using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Relay.Control.Addressing;
using Relay.Control.L2tp;
using Relay.Control.Sessions;
using Relay.Server.Configuration;
using Relay.Server.Hosting;
using Relay.Server.Lns;
using Relay.Server.Metrics;

namespace Relay.Server.Api;

/// <summary>
/// The control API's routes (/v1/...). Every read and change of protocol state runs on the control
/// loop through <see cref="LnsService.InvokeAsync{T}"/>; errors are RFC 9457 problem documents.
/// </summary>
internal static class ControlApiEndpoints
{
    private const string OperatorReason = "closed by the operator (control API)";

    public static void Map(IEndpointRouteBuilder app, ControlPlane plane)
    {
        var lns = plane.Lns;
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/status", async () =>
        {
            var (tunnels, established, sessions, ready, leases, pools) = await lns.InvokeAsync((c, _) =>
            {
                var est = 0;
                foreach (var t in c.L2tp.Tunnels.Values)
                {
                    est += t.State == TunnelState.Established ? 1 : 0;
                }
                return (c.L2tp.Tunnels.Count, est, c.L2tp.SessionCount, c.ReadySessions, c.Leases.Count, c.Leases.Pools.Count);
            });
            var reloader = plane.Reloader;
            return TypedResults.Json(new StatusResponse(CommandLine.Version, Environment.ProcessId, plane.StartedAt, plane.Uptime.TotalSeconds,
                lns.Workers, lns.Workers > 0, tunnels, established, sessions, ready, leases, pools, reloader.Path, reloader.Digest, reloader.LastReload, NextSteps.For(reloader.Config)),
                ApiJsonContext.Api.StatusResponse);
        });
        v1.MapGet("/firewall", () =>
        {
            var reloader = plane.Reloader;
            var ruleset = Firewall.NftablesRuleset.Render(reloader.Config, reloader.Path ?? "the built-in default configuration");
            return TypedResults.Json(new FirewallResponse(reloader.Digest, ruleset), ApiJsonContext.Api.FirewallResponse);
        });
        v1.MapGet("/stats", async () =>
        {
            var families = await plane.Metrics.GetAsync();
            var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var key = new System.Text.StringBuilder();
            foreach (var family in families)
            {
                foreach (var sample in family.Samples)
                {
                    key.Clear();
                    PrometheusText.AppendSeries(key, family.Name, sample.Labels);
                    counters[key.ToString()] = (long)sample.Value;
                }
            }
            return TypedResults.Json(new StatsResponse(plane.Uptime.TotalSeconds, counters), ApiJsonContext.Api.StatsResponse);
        });
        v1.MapGet("/tunnels", async () =>
        {
            var list = await lns.InvokeAsync((c, now) => c.L2tp.Tunnels.Values.OrderBy(t => t.LocalId).Select(t => View(t, now)).ToList());
            return TypedResults.Json(list, ApiJsonContext.Api.ListTunnelView);
        });
        v1.MapGet("/tunnels/{id}", async (HttpContext context, string id) =>
        {
            if (!TryParseTunnelId(id, out var tunnelId))
            {
                return ApiResults.BadParameter(context, "id", $"\"{id}\" is not a tunnel id (1 to 65535)");
            }
            var view = await lns.InvokeAsync((c, now) => c.L2tp.Tunnels.TryGetValue(tunnelId, out var t) ? View(t, now) : null);
            return view is null ? ApiResults.NotFound(context, $"id: no tunnel {tunnelId}") : TypedResults.Json(view, ApiJsonContext.Api.TunnelView);
        });
        v1.MapDelete("/tunnels/{id}", async (HttpContext context, string id) =>
        {
            if (!TryParseTunnelId(id, out var tunnelId))
            {
                return ApiResults.BadParameter(context, "id", $"\"{id}\" is not a tunnel id (1 to 65535)");
            }
            var (found, closed, view) = await lns.InvokeAsync((c, now) =>
            {
                if (!c.L2tp.Tunnels.TryGetValue(tunnelId, out var t))
                {
                    return (false, false, (TunnelView?)null);
                }
                // StopCCN with result 1, "general request to clear control connection" (RFC 2661 §4.4.2).
                var ok = c.L2tp.CloseTunnel(tunnelId, ResultCodes.StopGeneralRequest, null, OperatorReason, now);
                return (true, ok, View(t, now));
            });
            if (!found)
            {
                return ApiResults.NotFound(context, $"id: no tunnel {tunnelId}");
            }
            return closed
                ? TypedResults.Json(view, ApiJsonContext.Api.TunnelView, statusCode: StatusCodes.Status202Accepted)
                : ApiResults.Problem(StatusCodes.Status409Conflict, "Conflict", $"id: tunnel {tunnelId} is already closing", context.Request.Path);
        });
        v1.MapGet("/sessions", async (HttpContext context) =>
        {
            var query = context.Request.Query;
            string? user = query["user"];
            uint? address = null;
            ushort? tunnel = null;
            if (query["address"].ToString() is { Length: > 0 } addressText)
            {
                if (!Ipv4Address.TryParse(addressText, out var a))
                {
                    return ApiResults.BadParameter(context, "address", $"\"{addressText}\" is not an IPv4 address");
                }
                address = a;
            }
            if (query["tunnel"].ToString() is { Length: > 0 } tunnelText)
            {
                if (!TryParseTunnelId(tunnelText, out var t))
                {
                    return ApiResults.BadParameter(context, "tunnel", $"\"{tunnelText}\" is not a tunnel id (1 to 65535)");
                }
                tunnel = t;
            }
            var list = await lns.InvokeAsync((c, now) =>
            {
                var views = new List<SessionView>();
                foreach (var t in c.L2tp.Tunnels.Values.OrderBy(t => t.LocalId))
                {
                    if (tunnel is { } only && t.LocalId != only)
                    {
                        continue;
                    }
                    foreach (var s in t.Sessions.Values.OrderBy(s => s.LocalId))
                    {
                        var view = View(c, lns, t, s, now);
                        if ((user is null || view.User == user) && (address is null || view.Address == Ipv4Address.Format(address.Value)))
                        {
                            views.Add(view);
                        }
                    }
                }
                return views;
            });
            return TypedResults.Json(list, ApiJsonContext.Api.ListSessionView);
        });
        v1.MapGet("/sessions/{id}", async (HttpContext context, string id) =>
        {
            if (!SessionId.TryParse(id, out var key))
            {
                return ApiResults.BadParameter(context, "id", $"\"{id}\" is not a session id (TUNNEL:SESSION, like 12:7)");
            }
            var view = await lns.InvokeAsync((c, now) => Find(c, lns, key, now));
            return view is null ? ApiResults.NotFound(context, $"id: no session {id}") : TypedResults.Json(view, ApiJsonContext.Api.SessionView);
        });
        v1.MapDelete("/sessions/{id}", async (HttpContext context, string id) =>
        {
            if (!SessionId.TryParse(id, out var key))
            {
                return ApiResults.BadParameter(context, "id", $"\"{id}\" is not a session id (TUNNEL:SESSION, like 12:7)");
            }
            var view = await lns.InvokeAsync((c, now) =>
            {
                if (Find(c, lns, key, now) is not { } before)
                {
                    return null;
                }
                // PPP first (LCP Terminate-Request), then CDN with result 3, administrative (RFC 2661 §4.4.2);
                // a session whose PPP has not started yet gets its CDN at once.
                if (!c.CloseSession(key, OperatorReason, now))
                {
                    c.L2tp.CloseSession(key.TunnelId, key.SessionId, ResultCodes.CdnAdministrative, null, OperatorReason, now);
                }
                return Find(c, lns, key, now) ?? before with { State = "closed" };
            });
            return view is null
                ? ApiResults.NotFound(context, $"id: no session {id}")
                : TypedResults.Json(view, ApiJsonContext.Api.SessionView, statusCode: StatusCodes.Status202Accepted);
        });
        MapPools(v1, plane);
        v1.MapPost("/reload", async (HttpContext context) =>
        {
            var outcome = await plane.Reloader.ReloadAsync("api");
            if (outcome.Ok)
            {
                return TypedResults.Json(outcome.Response, ApiJsonContext.Api.ReloadResponse);
            }
            var status = outcome.NoFile ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
            return ApiResults.Problem(status, "Reload refused", string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Message}")), context.Request.Path, outcome.Errors);
        });
    }

    private static void MapPools(RouteGroupBuilder v1, ControlPlane plane)
    {
        var lns = plane.Lns;
        v1.MapGet("/pools", async (HttpContext context) =>
        {
            if (!TryFlag(context, "leases", out var leases, out var bad))
            {
                return bad;
            }
            var list = await lns.InvokeAsync((c, _) => c.Leases.Pools.Select(p => View(c, p, leases)).ToList());
            return TypedResults.Json(list, ApiJsonContext.Api.ListPoolView);
        });
        v1.MapGet("/pools/{name}", async (HttpContext context, string name) =>
        {
            if (!TryFlag(context, "leases", out var leases, out var bad))
            {
                return bad;
            }
            var view = await lns.InvokeAsync((c, _) => c.Leases.TryGetPool(name, out var p) ? View(c, p, leases) : null);
            return view is null ? ApiResults.NotFound(context, $"name: no pool \"{name}\"") : TypedResults.Json(view, ApiJsonContext.Api.PoolView);
        });
        v1.MapPost("/pools", async (HttpContext context) =>
        {
            PoolConfig? pool;
            try
            {
                pool = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJsonContext.Api.PoolConfig, context.RequestAborted);
            }
            catch (JsonException e)
            {
                var error = JsonConfigReader.Translate(e, typeof(RelayConfig).Namespace + ".");
                return ApiResults.Problem(StatusCodes.Status400BadRequest, "Invalid JSON", $"{error.Path}: {error.Message}", context.Request.Path, [new(error.Path, error.Message)]);
            }
            if (pool is null)
            {
                return ApiResults.Problem(StatusCodes.Status400BadRequest, "Invalid JSON", "$: the body must be a pool object, not null", context.Request.Path, [new("$", "must be a pool object")]);
            }
            var errors = PoolRequest.Validate(pool, plane.Reloader.Config);
            if (errors.Count > 0)
            {
                return ApiResults.Problem(StatusCodes.Status422UnprocessableEntity, "Invalid pool", string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")), context.Request.Path, errors);
            }
            var definition = PoolRequest.ToDefinition(pool);
            var (problems, view) = await lns.InvokeAsync((c, _) =>
            {
                var found = c.Leases.TryAddPool(definition);
                return (found, found.Count == 0 && c.Leases.TryGetPool(definition.Name, out var added) ? View(c, added, false) : null);
            });
            if (problems.Count > 0)
            {
                var conflicts = problems.Select(p => new ApiFieldError(PoolRequest.FieldOf(p.Path), p.Message)).ToList();
                return ApiResults.Problem(StatusCodes.Status409Conflict, "Conflict", string.Join("; ", conflicts.Select(e => $"{e.Field}: {e.Message}")), context.Request.Path, conflicts);
            }
            plane.Log.Info($"api: pool {definition.Name} {definition.Range} added (until the next reload, which makes the pools those of the file)");
            return TypedResults.Json(view, ApiJsonContext.Api.PoolView, statusCode: StatusCodes.Status201Created);
        });
        v1.MapDelete("/pools/{name}", async (HttpContext context, string name) =>
        {
            if (!TryFlag(context, "drain", out var drain, out var bad))
            {
                return bad;
            }
            var (result, used, view) = await lns.InvokeAsync((c, _) =>
            {
                if (!c.Leases.TryGetPool(name, out var pool))
                {
                    return (LeaseResult.UnknownPool, 0, (PoolView?)null);
                }
                if (pool.Used == 0)
                {
                    return (c.Leases.TryRemovePool(name), 0, null);
                }
                if (!drain)
                {
                    return (LeaseResult.PoolInUse, pool.Used, null);
                }
                c.Leases.Drain(name, removeWhenEmpty: true);
                return (LeaseResult.PoolDraining, pool.Used, View(c, pool, false));
            });
            switch (result)
            {
                case LeaseResult.UnknownPool:
                    return ApiResults.NotFound(context, $"name: no pool \"{name}\"");
                case LeaseResult.PoolInUse:
                    return ApiResults.Problem(StatusCodes.Status409Conflict, "Pool in use",
                        $"name: pool \"{name}\" holds {used} lease(s); DELETE with ?drain=true to stop new leases and remove it when the last one ends",
                        context.Request.Path, [new("name", $"holds {used} lease(s)")]);
                case LeaseResult.PoolDraining:
                    plane.Log.Info($"api: pool {name} draining: {used} lease(s) left, removed when the last ends");
                    return TypedResults.Json(view, ApiJsonContext.Api.PoolView, statusCode: StatusCodes.Status202Accepted);
                default:
                    plane.Log.Info($"api: pool {name} removed");
                    return TypedResults.NoContent();
            }
        });
    }

    private static bool TryFlag(HttpContext context, string name, out bool value, out IResult problem)
    {
        value = false;
        problem = null!;
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0 || bool.TryParse(text, out value))
        {
            return true;
        }
        problem = ApiResults.BadParameter(context, name, $"\"{text}\" is not true or false");
        return false;
    }

    private static bool TryParseTunnelId(string text, out ushort id)
        => ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != 0;

    private static long Seconds(TimeSpan span) => (long)Math.Max(0, span.TotalSeconds);

    private static TunnelView View(Tunnel t, TimeSpan now)
        => new(t.LocalId, t.Peer.ToString(), t.PeerId, t.PeerHostName, Names.Of(t.State), t.Sessions.Count, Seconds(now - t.CreatedAt));

    private static SessionView? Find(LnsController c, LnsService lns, SessionKey key, TimeSpan now)
        => c.L2tp.Tunnels.TryGetValue(key.TunnelId, out var t) && t.Sessions.TryGetValue(key.SessionId, out var s) ? View(c, lns, t, s, now) : null;

    private static SessionView View(LnsController c, LnsService lns, Tunnel t, Session s, TimeSpan now)
    {
        var key = new SessionKey(t.LocalId, s.LocalId);
        c.TryGetSession(key, out var info);
        string? address = null, pool = null;
        if (info.Address is { } leased)
        {
            address = Ipv4Address.Format(leased);
            pool = c.Leases.TryFindPool(leased, out var p) ? p.Name : null;
        }
        var ppp = c.FindPpp(key) is null ? "none" : Names.Of(info.Phase);
        return new SessionView(SessionId.Format(key), t.LocalId, s.LocalId, t.PeerId, s.PeerId, t.Peer.ToString(), info.User, address, pool,
            Names.Of(s.State), ppp, info.Ready, Seconds(now - s.CreatedAt), Traffic(lns, key));
    }

    /// <summary>The data plane's per-session counters (read lock-free, summed over the workers); null before the session is published.</summary>
    private static TrafficView? Traffic(LnsService lns, SessionKey key)
    {
        if (!lns.Table.TryGet(key, out var entry) || entry is null)
        {
            return null;
        }
        var traffic = entry.Traffic;
        return new TrafficView(traffic.ReceivedPackets, traffic.ReceivedBytes, traffic.SentPackets, traffic.SentBytes, traffic.DroppedPackets);
    }

    private static PoolView View(LnsController c, AddressPool p, bool withLeases)
    {
        List<LeaseView>? leases = null;
        if (withLeases)
        {
            leases = [];
            foreach (var lease in c.Leases.Leases)
            {
                if (lease.Pool == p.Name)
                {
                    leases.Add(new LeaseView(Ipv4Address.Format(lease.Address), SessionId.Format(lease.Session), lease.IsStatic));
                }
            }
            leases.Sort((a, b) => Ipv4Address.TryParse(a.Address, out var x) && Ipv4Address.TryParse(b.Address, out var y) ? x.CompareTo(y) : 0);
        }
        return new PoolView(p.Name, p.Range.ToString(), p.Realm == PoolRealm.Public ? "public" : "private", p.Size, p.Usable, p.Used, p.Free, p.IsDraining, leases);
    }
}
