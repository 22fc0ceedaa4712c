using System.Net;
using System.Net.Sockets;

namespace Mnist.Tests;

/// <summary>Image files for CLI tests, written into a temporary directory that is deleted afterwards.</summary>
internal sealed class CliTestImages : IDisposable
{
    public CliTestImages() => Directory = System.IO.Directory.CreateTempSubdirectory("mnist-cli-").FullName;

    public string Directory { get; }

    /// <summary>A sample scan from TestData (digit-7.png, digit-2.png).</summary>
    public static string Sample(int digit) => Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", $"digit-{digit}.png");

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Starts with the PNG signature, so only the server can tell it is broken.</summary>
    public static byte[] CorruptPng => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8];

    /// <summary>A loopback address where nothing listens.</summary>
    public static string ClosedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
