namespace Mnist.Cli;

/// <summary>What one run of the tool talks to: its streams, environment variables and whether colour is wanted.</summary>
internal sealed record CliEnvironment(TextWriter Output, TextWriter Error, Func<Stream> OpenInput, Func<string, string?> GetVariable, bool Colour)
{
    /// <summary>The process's console; colour only on a terminal and never when NO_COLOR is set (no-color.org).</summary>
    public static CliEnvironment FromConsole()
    {
        var noColour = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new CliEnvironment(
            Console.Out, Console.Error, Console.OpenStandardInput, Environment.GetEnvironmentVariable,
            Colour: !noColour && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb");
    }
}
