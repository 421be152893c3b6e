using Relay.Topology;

namespace Relay.LoadGen.Results;

/// <summary>The machine a run measured: host, kernel, CPU model and count, runtime.</summary>
/// <remarks>LoadAverage is /proc/loadavg when the run started: other work on the machine skews every figure.</remarks>
internal sealed record MachineInfo(string Host, string Kernel, string CpuModel, int Cpus, string Runtime, string LoadAverage)
{
    public static MachineInfo Current()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown"
            : "unknown";
        var kernel = Shell.Run("uname", ["-r"]).StandardOutput.Trim();
        return new MachineInfo(Environment.MachineName, kernel, model, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown");
    }
}
