using Mnist.Cli;

return await MnistCli.RunAsync(args, CliEnvironment.FromConsole());
