// relayctl: the operator's command line for relayd's control API (see Commands/Cli.cs).
return Relay.Cli.Commands.Cli.Run(args, Console.Out, Console.Error);
