using System.CommandLine;
using System.CommandLine.Parsing;
using Mnist.Cli.Parsing;

namespace Mnist.Cli;

/// <summary>The options every command accepts (declared once on the root, recursive), and what they resolve to.</summary>
internal sealed class CommonOptions
{
    public const string ServerVariable = "MNIST_SERVER";
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
    }

    public Option<ServerAddress> Server { get; }

    public Option<Duration> Timeout { get; }

    public Option<bool> Json { get; }

    public Option<bool> Verbose { get; }

    public IEnumerable<Option> All => [Server, Timeout, Json, Verbose];

    public CallSettings Read(ParseResult result) =>
        new(result.GetValue(Server)!, result.GetValue(Timeout), result.GetValue(Json), result.GetValue(Verbose));

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
