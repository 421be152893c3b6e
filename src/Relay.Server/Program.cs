using Relay.Server.Hosting;

return CommandLine.Run(args, Console.Out, Console.Error);
