namespace Mnist.Tests;

/// <summary>A temporary API_KEYS_FILE; rewrite it to rotate keys under a running server.</summary>
internal sealed class ApiKeysFile : IDisposable
{
    /// <summary>Random keys, made once per run, so no test key is ever a constant a log could match by chance.</summary>
    public static readonly string Alpha = "alpha-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static readonly string Beta = "beta-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    private readonly string _directory = Directory.CreateTempSubdirectory("mnist-keys-").FullName;

    public ApiKeysFile(params (string Name, string Key)[] keys)
    {
        Path = System.IO.Path.Combine(_directory, "api-keys");
        Write(keys);
    }

    public string Path { get; }

    /// <summary>Replaces the file in one rename, as a Secret volume swaps its content.</summary>
    public void Write(params (string Name, string Key)[] keys)
    {
        var temporary = Path + ".new";
        File.WriteAllLines(temporary, ["# name:key", .. keys.Select(k => $"{k.Name}:{k.Key}")]);
        File.Move(temporary, Path, overwrite: true);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
