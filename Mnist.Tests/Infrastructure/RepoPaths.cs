namespace Mnist.Tests;

/// <summary>Locations in the repository, found from the test assembly's directory.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string MnistData => Path.Combine(Root, "data", "mnist");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mnist.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mnist.sln not found above " + AppContext.BaseDirectory);
    }
}
