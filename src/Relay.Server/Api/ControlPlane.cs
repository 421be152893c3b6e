using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Relay.Server.Configuration;
using Relay.Server.Hosting;
using Relay.Server.Lns;
using Relay.Server.Metrics;

namespace Relay.Server.Api;

/// <summary>
/// relayd's operator surface: the control API (HTTP/1.1 + JSON on the Unix socket
/// <c>control.socket</c>, mode 0600), the Prometheus endpoint on <c>metrics.listen</c> (TCP, only
/// <c>GET /metrics</c>), the "Relay" meter, and reload on SIGHUP. One Kestrel (ASP.NET Core slim,
/// Native AOT) serves both listeners; a request that arrives over TCP reaches nothing but /metrics.
/// </summary>
internal sealed class ControlPlane : IDisposable
{
    private readonly WebApplication _app;
    private readonly RelayMeter _meter;
    private readonly PosixSignalRegistration _hangup;
    private readonly long _started = Stopwatch.GetTimestamp();

    private ControlPlane(RelayConfig config, string? configPath, LnsService lns, Log log)
    {
        Lns = lns;
        Log = log;
        StartedAt = DateTimeOffset.UtcNow;
        Reloader = new ConfigReloader(config, configPath, lns, log);
        Metrics = new MetricsSource(lns, _started);
        var socket = config.Control.Socket;
        UnixSocketPath.Prepare(socket);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(socket);
            if (config.Metrics.Listen is { } listen && EndpointText.TryParse(listen, out var endpoint))
            {
                kestrel.Listen(endpoint);
            }
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, QuietHostLifetime>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        _app = builder.Build();
        _app.Use(Guard);
        _app.MapGet("/metrics", async (HttpContext context) =>
        {
            var text = PrometheusText.Write(await Metrics.GetAsync(context.RequestAborted));
            return TypedResults.Text(text, PrometheusText.ContentType);
        });
        ControlApiEndpoints.Map(_app, this);
        _app.StartAsync().GetAwaiter().GetResult();
        UnixSocketPath.Restrict(socket);
        _meter = new RelayMeter(Metrics, Metrics.GetAsync().GetAwaiter().GetResult());
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = Task.Run(() => Reloader.ReloadAsync("SIGHUP"));
        });
    }

    public LnsService Lns { get; }

    public Log Log { get; }

    public ConfigReloader Reloader { get; }

    public MetricsSource Metrics { get; }

    public DateTimeOffset StartedAt { get; }

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_started);

    /// <summary>Binds the socket (and the metrics port) and serves; throws <see cref="IOException"/> or a socket error naming what failed.</summary>
    public static ControlPlane Start(RelayConfig config, string? configPath, LnsService lns, Log log)
    {
        ArgumentNullException.ThrowIfNull(config);
        var plane = new ControlPlane(config, configPath, lns, log);
        log.Info($"control: API on unix {config.Control.Socket} (mode 0600); metrics {(config.Metrics.Listen is { } m ? $"on http://{m}/metrics" : "off (metrics.listen is null)")}; SIGHUP reloads");
        return plane;
    }

    public void Dispose()
    {
        _hangup.Dispose();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try
            {
                _app.StopAsync(stop.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Requests still running after 2 s are abandoned: relayd is stopping, and an
                // exception here would turn a clean SIGTERM into an abort.
            }
        }
        ((IDisposable)_app).Dispose();
        _meter.Dispose();
        try
        {
            File.Delete(Reloader.Config.Control.Socket);
        }
        catch (IOException)
        {
            // gone already
        }
    }

    /// <summary>
    /// TCP (the metrics port) reaches /metrics only; the control API is on the Unix socket alone.
    /// Failures become problem documents: the control loop busy or stopping is 503, a bug 500 (logged).
    /// </summary>
    private async Task Guard(HttpContext context, RequestDelegate next)
    {
        var overTcp = context.Connection.LocalIpAddress is not null;
        if (overTcp && !(HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/metrics"))
        {
            await ApiResults.Problem(StatusCodes.Status404NotFound, "Not found", "the metrics port serves GET /metrics only; the control API is on control.socket", context.Request.Path).ExecuteAsync(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is MailboxUnavailableException or TimeoutException && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await ApiResults.Problem(StatusCodes.Status503ServiceUnavailable, "Unavailable", e.Message, context.Request.Path).ExecuteAsync(context);
            return;
        }
#pragma warning disable CA1031 // the API answers every failure with a problem document and logs it
        catch (Exception e) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            Log.Error($"api: {context.Request.Method} {context.Request.Path} failed: {e}");
            context.Response.Clear();
            await ApiResults.Problem(StatusCodes.Status500InternalServerError, "Internal error", e.Message, context.Request.Path).ExecuteAsync(context);
            return;
        }
        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null && context.Response.ContentType is null)
        {
            // Routing's own answers (no such endpoint, wrong method) get a problem document too.
            var status = context.Response.StatusCode;
            var detail = status switch
            {
                StatusCodes.Status404NotFound => $"no endpoint {context.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}",
                _ => $"HTTP {status}",
            };
            await ApiResults.Problem(status, status == 405 ? "Method not allowed" : status == 404 ? "Not found" : "Error", detail, context.Request.Path).ExecuteAsync(context);
        }
    }
}
