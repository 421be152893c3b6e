using System.Text.RegularExpressions;
using Relay.Testing;

namespace Relay.Appliance.Tests.Packaging;

/// <summary>
/// The Dockerfile cannot be built here (no container daemon), so what can drift is checked: every file it
/// copies exists, relayd's whole project graph is restored before the sources are copied, and the
/// container runs the appliance's default configuration.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string Text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var sources = CopyLine().Matches(Text).SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var path = Path.Combine(RepositoryPaths.Root, source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile copies {source}, which does not exist");
        }
    }

    [Fact]
    public void Restore_layer_copies_every_project_relayd_depends_on()
    {
        var pending = new Queue<string>(["src/Relay.Server/Relay.Server.csproj"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }
            Assert.Contains($"COPY {project} ", Text, StringComparison.Ordinal);
            var dir = Path.GetDirectoryName(project)!;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, project))))
            {
                pending.Enqueue(Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(RepositoryPaths.Root, dir, reference.Groups[1].Value))).Replace('\\', '/'));
            }
        }
    }

    [Fact]
    public void Container_runs_the_appliance_default_configuration_as_non_root()
    {
        Assert.Contains("COPY appliance/config/ /rootfs/etc/relay/", Text, StringComparison.Ordinal);
        Assert.Contains("CMD [\"--config\", \"/etc/relay/relayd.json\"]", Text, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"<ProjectReference Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
