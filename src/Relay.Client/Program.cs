// relay-client: the LAC (client) role of Relay. The L2TP/PPP client engines it drives live in
// Relay.Control and are not built yet, so this executable only explains that, rather than
// pretending to connect.
if (args is ["--version"])
{
    Console.WriteLine($"relay-client {typeof(Program).Assembly.GetName().Version}");
    return 0;
}
Console.Error.WriteLine("""
relay-client: the client role (NAT probe, L2TP tunnel to relayd, TUN and routes) is not built yet.
See README.md, section "Status", for what this version of Relay does.
""");
return args is ["--help"] or ["-h"] ? 0 : 69; // EX_UNAVAILABLE
