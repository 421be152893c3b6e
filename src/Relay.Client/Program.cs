using Relay.Client.Hosting;

return CommandLine.Run(args, Console.Out, Console.Error);
