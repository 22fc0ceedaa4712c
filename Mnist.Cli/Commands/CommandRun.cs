using Grpc.Core;
using Grpc.Net.Client;
using Inference;
using Mnist.Cli.Calls;
using Mnist.Cli.Output;

namespace Mnist.Cli.Commands;

/// <summary>What an action needs for one run: the client for the chosen server, result writer, diagnostics.</summary>
internal sealed class CommandRun : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Metadata? _headers;

    public CommandRun(CallSettings settings, CliEnvironment environment)
    {
        Settings = settings;
        Environment = environment;
        _channel = ChannelFactory.Create(settings);
        Client = new V1.Mnist.MnistClient(_channel);
        Inference = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
        Results = settings.Json ? new JsonResultWriter(environment.Output) : new TextResultWriter(environment.Output, new TextStyle(environment.Colour));
        Diagnostics = new Diagnostics(environment.Error, settings.Verbose);
        if (settings.Credentials.ApiKey is { } key)
        {
            _headers = new Metadata { { "authorization", "Bearer " + key } };
        }

        if (settings.Server.Uri.Scheme == Uri.UriSchemeHttp && !ChannelFactory.IsLoopback(settings.Server.Uri))
        {
            Diagnostics.Warn(settings.Credentials.ApiKey is null
                ? $"{settings.Server} is not this machine and http:// is not encrypted: use https:// beyond a trusted network"
                : $"{settings.Server} is not this machine and http:// is not encrypted: the API key travels in clear; use https://");
        }
    }

    public CallSettings Settings { get; }

    public CliEnvironment Environment { get; }

    public V1.Mnist.MnistClient Client { get; }

    /// <summary>The Open Inference Protocol's client on the same channel (<c>predict --batch</c>).</summary>
    public GRPCInferenceService.GRPCInferenceServiceClient Inference { get; }

    public IResultWriter Results { get; }

    public Diagnostics Diagnostics { get; }

    /// <summary>Each call gets the full --timeout as its deadline (grpc-timeout), and stops on Ctrl-C.</summary>
    public CallOptions CallOptions(CancellationToken cancellationToken) =>
        new(headers: _headers, deadline: DateTime.UtcNow + Settings.Timeout.Value, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();
}
