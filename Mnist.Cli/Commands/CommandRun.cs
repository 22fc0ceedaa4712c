using Mnist.Cli.Output;
using Mnist.Grpc.Client;

namespace Mnist.Cli.Commands;

/// <summary>What an action needs for one run: the client for the chosen server, result writer, diagnostics.</summary>
internal sealed class CommandRun : IDisposable
{
    public CommandRun(CallSettings settings, CliEnvironment environment)
    {
        Settings = settings;
        Environment = environment;
        Client = new GrpcClient(settings.Server.Uri, new GrpcClientOptions { UserAgent = "mnist-cli/" + MnistCli.Version });
        Results = settings.Json ? new JsonResultWriter(environment.Output) : new TextResultWriter(environment.Output, new TextStyle(environment.Colour));
        Diagnostics = new Diagnostics(environment.Error, settings.Verbose);
    }

    public CallSettings Settings { get; }

    public CliEnvironment Environment { get; }

    public GrpcClient Client { get; }

    public IResultWriter Results { get; }

    public Diagnostics Diagnostics { get; }

    /// <summary>Each call gets the full --timeout as its deadline (grpc-timeout), and stops on Ctrl-C.</summary>
    public GrpcCallOptions CallOptions(CancellationToken cancellationToken) =>
        new() { Timeout = Settings.Timeout.Value, CancellationToken = cancellationToken };

    public void Dispose() => Client.Dispose();
}
