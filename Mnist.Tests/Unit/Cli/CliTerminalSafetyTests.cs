using Mnist.Cli;
using Mnist.Cli.Commands;
using Mnist.Cli.Output;
using Mnist.Cli.Parsing;
using Mnist.V1;

namespace Mnist.Tests.Unit.Cli;

/// <summary>What the CLI prints of the server's text cannot drive the terminal; plaintext beyond loopback is flagged.</summary>
[Category("Unit")]
public class CliTerminalSafetyTests
{
    [TestCase("plain text", "plain text")]
    [TestCase("red\u001b[31m!", "red\\u001b[31m!")]
    [TestCase("line\nforged: 7 (100.0%)", "line\\nforged: 7 (100.0%)")]
    [TestCase("over\rwrite", "over\\rwrite")]
    [TestCase("bell\u0007 del\u007f c1\u009b", "bell\\u0007 del\\u007f c1\\u009b")]
    [TestCase("bidi\u202eevil", "bidi\\u202eevil")]
    public void Escape_ServerText_ControlCharactersShownNotObeyed(string text, string shown)
    {
        Assert.That(TerminalText.Escape(text), Is.EqualTo(shown));
    }

    [Test]
    public void Health_MessageWithEscapes_PrintedEscapedOnOneLine()
    {
        using var output = new StringWriter();
        var writer = new TextResultWriter(output, new TextStyle(false));

        writer.Health(new ServerAddress(new Uri("http://127.0.0.1:50051")), new HealthResponse
        {
            Status = HealthResponse.Types.Status.NotServing,
            ModelVersion = "v\u001b]0;title\u0007",
            Message = "down\r\nmnist: all good",
        });

        Assert.That(output.ToString(), Is.EqualTo("127.0.0.1:50051: NOT_SERVING, model v\\u001b]0;title\\u0007 (down\\r\\nmnist: all good)" + Environment.NewLine));
    }

    [TestCase("http://192.0.2.10:50051", true)]
    [TestCase("http://mnist.example.com:50051", true)]
    [TestCase("http://127.0.0.1:50051", false)]
    [TestCase("http://localhost:50051", false)]
    [TestCase("http://[::1]:50051", false)]
    [TestCase("https://mnist.example.com:443", false)]
    public void CommandRun_PlaintextBeyondLoopback_Warns(string server, bool warns)
    {
        using var error = new StringWriter();
        var environment = new CliEnvironment(TextWriter.Null, error, () => Stream.Null, _ => null, Colour: false);
        var settings = new CallSettings(new ServerAddress(new Uri(server)), CommonOptions.DefaultTimeout, Json: false, Verbose: false, Credentials.None);

        // No call is made: the warning comes when the channel is set up.
        using var run = new CommandRun(settings, environment);

        Assert.That(error.ToString(), warns ? Does.StartWith("mnist: warning: ").And.Contain("not encrypted") : Is.Empty);
    }
}
