using System.Security.Cryptography;

namespace Relay.Server.Hosting;

/// <summary>
/// <c>tunnel.secretFile</c>: the tunnel secret lives in a file readable by its owner only. On first boot the
/// file does not exist: a 32-character secret (192 random bits, base64url) is generated, written with mode
/// 0600 (created exclusively, so two starts cannot race), and printed once, so the operator can give it to
/// the clients. Afterwards it is only read, never printed again.
/// </summary>
internal static class FirstBootSecret
{
    /// <summary>Loads or creates the secret at <paramref name="path"/>; null with an error logged when it cannot.</summary>
    public static string? LoadOrCreate(string path, Log log)
    {
        if (OperatingSystem.IsWindows())
        {
            log.Error("tunnel.secretFile: needs Unix file modes");
            return null;
        }
        try
        {
            if (File.Exists(path))
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
                {
                    log.Error($"tunnel.secretFile {path}: readable or writable by group or others (mode {Convert.ToString((int)mode, 8)}); chmod 600 it");
                    return null;
                }
                var secret = File.ReadAllText(path).Trim();
                if (secret.Length == 0)
                {
                    log.Error($"tunnel.secretFile {path}: empty; delete it to have a new secret generated");
                    return null;
                }
                log.Info($"tunnel.secretFile {path}: tunnel authentication on");
                return secret;
            }
            var generated = Base64Url(RandomNumberGenerator.GetBytes(24));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(generated + "\n");
            }
            log.Warn($"tunnel.secretFile {path}: first start, generated a new tunnel secret; it is printed only this once:");
            log.Warn($"TUNNEL SECRET: {generated}");
            log.Warn("give it to the clients (their tunnel secret); to change it, replace the file and restart relayd");
            return generated;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Error($"tunnel.secretFile {path}: {e.Message}");
            return null;
        }
    }

    private static string Base64Url(byte[] bytes)
        => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
