using System.Security.Cryptography;
using System.Text;
using Relay.Control.Ppp.Authentication;
using Relay.Server.Configuration;
using Relay.Server.Hosting;
using Relay.Server.Lns;

namespace Relay.Server.Api;

/// <summary>
/// Re-reads the configuration file (POST /v1/reload, SIGHUP) and applies it without dropping a
/// session: pools (added, redefined under their leases, drained when gone), tunnel secrets and
/// limits, PPP secrets and options for new sessions. The file is checked whole first: any error
/// (syntax, validation, a key that only a restart can change, the secrets file, a pool that no longer
/// fits its leases) refuses it and the running configuration stays. One reload at a time.
/// </summary>
internal sealed class ConfigReloader(RelayConfig config, string? path, LnsService lns, Log log)
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public RelayConfig Config { get; private set; } = config;

    public string? Path { get; } = path;

    public string Digest { get; private set; } = DigestOf(config);

    public ReloadView? LastReload { get; private set; }

    public static string DigestOf(RelayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ConfigLoader.Serialize(config))));
    }

    public async Task<ReloadOutcome> ReloadAsync(string trigger)
    {
        await _one.WaitAsync().ConfigureAwait(false);
        try
        {
            var outcome = await ApplyAsync().ConfigureAwait(false);
            var summary = outcome.Ok
                ? $"applied {Digest}: pools added [{string.Join(", ", outcome.Response!.PoolsAdded)}], changed [{string.Join(", ", outcome.Response.PoolsChanged)}], draining [{string.Join(", ", outcome.Response.PoolsDraining)}], removed [{string.Join(", ", outcome.Response.PoolsRemoved)}]"
                : "refused, running configuration kept: " + string.Join("; ", outcome.Errors.Select(e => $"{e.Field}: {e.Message}"));
            LastReload = new ReloadView(DateTimeOffset.UtcNow, trigger, outcome.Ok, summary);
            if (outcome.Ok)
            {
                log.Info($"reload ({trigger}) of {Path}: {summary}");
                foreach (var note in outcome.Response!.Notes)
                {
                    log.Info($"reload: {note}");
                }
            }
            else
            {
                log.Error($"reload ({trigger}){(Path is null ? "" : $" of {Path}")}: {summary}");
            }
            return outcome;
        }
        finally
        {
            _one.Release();
        }
    }

    private async Task<ReloadOutcome> ApplyAsync()
    {
        if (Path is null)
        {
            return new ReloadOutcome(null, [new("$", "relayd runs with the built-in default configuration (no --config): there is no file to re-read")], NoFile: true);
        }
        var (loaded, configErrors) = ConfigLoader.LoadFile(Path);
        if (loaded is null)
        {
            return new ReloadOutcome(null, [.. configErrors.Select(e => new ApiFieldError(e.Path, e.Message))]);
        }
        var errors = new List<ApiFieldError>();
        RestartOnly(errors, "listen.l2tp", Config.Listen.L2tp, loaded.Listen.L2tp);
        RestartOnly(errors, "listen.stun", Config.Listen.Stun, loaded.Listen.Stun);
        RestartOnly(errors, "control.socket", Config.Control.Socket, loaded.Control.Socket);
        RestartOnly(errors, "metrics.listen", Config.Metrics.Listen, loaded.Metrics.Listen);
        foreach (var clash in Daemon.PoolsContainingHostAddresses(loaded))
        {
            var colon = clash.IndexOf(": ", StringComparison.Ordinal);
            errors.Add(new(clash[..colon], clash[(colon + 2)..]));
        }
        var notes = new List<string>();
        var credentials = LoadSecrets(loaded, errors, notes);
        if (errors.Count > 0)
        {
            return new ReloadOutcome(null, errors);
        }
        var options = LnsOptionsFactory.Create(loaded, credentials);
        var (problems, changes) = await lns.InvokeAsync((controller, _) =>
        {
            var found = controller.Reconfigure(options, out var applied);
            return (found, applied);
        }).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            return new ReloadOutcome(null, [.. problems.Select(p => new ApiFieldError(p.Path, p.Pool.Length == 0 ? p.Message : $"\"{p.Pool}\": {p.Message}"))]);
        }
        Config = loaded;
        Digest = DigestOf(loaded);
        return new ReloadOutcome(new ReloadResponse(Digest, changes.Added, changes.Changed, changes.Draining, changes.Removed, notes), []);
    }

    private static void RestartOnly(List<ApiFieldError> errors, string field, string? running, string? wanted)
    {
        if (!string.Equals(running, wanted, StringComparison.Ordinal))
        {
            errors.Add(new(field, $"changes from {running ?? "null"} to {wanted ?? "null"}, which only a restart of relayd can apply"));
        }
    }

    private static ICredentialStore? LoadSecrets(RelayConfig config, List<ApiFieldError> errors, List<string> notes)
    {
        if (config.Ppp.SecretsFile is not { } path)
        {
            notes.Add("ppp.secretsFile is null: new PPP sessions are not authenticated");
            return null;
        }
        if (!File.Exists(path))
        {
            notes.Add($"ppp.secretsFile {path}: not found; every new PPP login is refused until it exists and relayd reloads");
            return ChapSecrets.Parse("").Secrets;
        }
        var loaded = ChapSecrets.Load(path);
        if (!loaded.IsValid)
        {
            foreach (var error in loaded.Errors)
            {
                errors.Add(new("ppp.secretsFile", $"{path}: {error}"));
            }
            return null;
        }
        notes.Add($"ppp.secretsFile {path}: {loaded.Secrets.Credentials.Count} credentials for new sessions");
        return loaded.Secrets;
    }
}
