// relayctl: the operator's command line for relayd's control API. The control API is not built
// yet, so this executable only explains that, rather than pretending to talk to relayd.
if (args is ["--version"])
{
    Console.WriteLine($"relayctl {typeof(Program).Assembly.GetName().Version}");
    return 0;
}
Console.Error.WriteLine("""
relayctl: relayd's control API is not built yet, so there is nothing to talk to.
See README.md, section "Status", for what this version of Relay does.
""");
return args is ["--help"] or ["-h"] ? 0 : 69; // EX_UNAVAILABLE
