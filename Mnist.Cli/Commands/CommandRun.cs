using Grpc.Core;
using Grpc.Net.Client;
using Mnist.Cli.Output;
using Mnist.V1;

namespace Mnist.Cli.Commands;

/// <summary>What an action needs for one run: the client for the chosen server, result writer, diagnostics.</summary>
internal sealed class CommandRun : IDisposable
{
    private readonly GrpcChannel _channel;

    public CommandRun(CallSettings settings, CliEnvironment environment)
    {
        Settings = settings;
        Environment = environment;
        _channel = GrpcChannel.ForAddress(settings.Server.Uri);
        Client = new V1.Mnist.MnistClient(_channel);
        Results = settings.Json ? new JsonResultWriter(environment.Output) : new TextResultWriter(environment.Output, new TextStyle(environment.Colour));
        Diagnostics = new Diagnostics(environment.Error, settings.Verbose);
    }

    public CallSettings Settings { get; }

    public CliEnvironment Environment { get; }

    public V1.Mnist.MnistClient Client { get; }

    public IResultWriter Results { get; }

    public Diagnostics Diagnostics { get; }

    /// <summary>Each call gets the full --timeout as its deadline (grpc-timeout), and stops on Ctrl-C.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + Settings.Timeout.Value, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();
}
