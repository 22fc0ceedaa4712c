using System.CommandLine;
using System.CommandLine.Parsing;
using Mnist.Cli.Parsing;

namespace Mnist.Cli;

/// <summary>The options every command accepts (declared once on the root, recursive), and what they resolve to.</summary>
internal sealed class CommonOptions
{
    public const string ServerVariable = "MNIST_SERVER";
    public const string ApiKeyVariable = "MNIST_API_KEY";
    public static readonly Duration DefaultTimeout = new(TimeSpan.FromSeconds(30));

    public CommonOptions(Func<string, string?> getVariable)
    {
        Server = new Option<ServerAddress>("--server", "-s")
        {
            Description = $"The server, as host:port or http(s)://host:port [env: {ServerVariable}]",
            HelpName = "address",
            Recursive = true,
            CustomParser = ParseServer,
            DefaultValueFactory = result => getVariable(ServerVariable) is { Length: > 0 } fromEnv
                ? ParseServerText(result, fromEnv, ServerVariable)
                : ParseServerText(result, ServerAddress.Default, "--server"),
        };
        Timeout = new Option<Duration>("--timeout", "-t")
        {
            Description = "Deadline of each call, e.g. 500ms, 5s, 2m, or seconds",
            HelpName = "duration",
            Recursive = true,
            CustomParser = ParseTimeout,
            DefaultValueFactory = _ => DefaultTimeout,
        };
        Json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per line (proto3 JSON) for scripts and jq",
            Recursive = true,
        };
        Verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "Explain what is happening on stderr; show full error details",
            Recursive = true,
        };
        ApiKey = new Option<string>("--api-key")
        {
            Description = $"The API key, sent as authorization: Bearer (prefer the variable: a command line is visible to others) [env: {ApiKeyVariable}]",
            HelpName = "key",
            Recursive = true,
            DefaultValueFactory = _ => getVariable(ApiKeyVariable) is { Length: > 0 } fromEnv ? fromEnv : null!,
        };
        CaFile = new Option<string>("--ca-file")
        {
            Description = "With https://: trust only the CA certificates in this PEM file for the server's certificate",
            HelpName = "pem",
            Recursive = true,
        };
        Cert = new Option<string>("--cert")
        {
            Description = "With https://: the client certificate (PEM) for servers that require one (mTLS); needs --key",
            HelpName = "pem",
            Recursive = true,
        };
        Key = new Option<string>("--key")
        {
            Description = "The private key (PEM) of --cert",
            HelpName = "pem",
            Recursive = true,
        };
    }

    public Option<ServerAddress> Server { get; }

    public Option<Duration> Timeout { get; }

    public Option<bool> Json { get; }

    public Option<bool> Verbose { get; }

    public Option<string> ApiKey { get; }

    public Option<string> CaFile { get; }

    public Option<string> Cert { get; }

    public Option<string> Key { get; }

    public IEnumerable<Option> All => [Server, Timeout, Json, Verbose, ApiKey, CaFile, Cert, Key];

    public CallSettings Read(ParseResult result) =>
        new(result.GetValue(Server)!, result.GetValue(Timeout), result.GetValue(Json), result.GetValue(Verbose),
            new Credentials(result.GetValue(ApiKey), result.GetValue(CaFile), result.GetValue(Cert), result.GetValue(Key)));

    private static ServerAddress ParseServer(ArgumentResult result) => ParseServerText(result, result.Tokens[^1].Value, "--server");

    private static ServerAddress ParseServerText(ArgumentResult result, string text, string source)
    {
        if (ServerAddress.TryParse(text, out var address, out var error))
        {
            return address;
        }

        result.AddError($"{source}: {error}");
        return null!;
    }

    private static Duration ParseTimeout(ArgumentResult result)
    {
        if (Duration.TryParse(result.Tokens[^1].Value, out var duration, out var error))
        {
            return duration;
        }

        result.AddError($"--timeout: {error}");
        return default;
    }
}
