namespace Mnist.Cli.Output;

/// <summary>ANSI colour for a terminal; plain text when colour is off (not a terminal, NO_COLOR set).</summary>
internal sealed class TextStyle(bool colour)
{
    public string Wrong(string text) => colour ? $"\e[31m{text}\e[0m" : text;

    public string Good(string text) => colour ? $"\e[32m{text}\e[0m" : text;
}
