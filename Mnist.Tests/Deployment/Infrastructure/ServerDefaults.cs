using System.Reflection;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// The inference server's configuration defaults, as the deployment files must mirror them. Read from the
/// server's compiled *Options classes when they declare the setting (property named after the variable,
/// e.g. GrpcPort for GRPC_PORT, or [ConfigurationKeyName("GRPC_PORT")]) with a non-empty default; else
/// the values the server's contract states.
/// </summary>
internal static class ServerDefaults
{
    public const string ServiceName = "mnist.v1.Mnist";

    /// <summary>Seconds the server takes at most, after SIGTERM, to drain in-flight calls and exit.</summary>
    public const int DrainSeconds = 10;

    private static readonly Dictionary<string, string> Contract = new()
    {
        ["GRPC_PORT"] = "50051",
        ["HTTP_PORT"] = "8080",
        ["MODEL_DIR"] = "/models",
    };

    public static IEnumerable<string> Variables => Contract.Keys;

    public static (string Value, string Source) Get(string variable)
    {
        foreach (var (property, instance) in OptionProperties())
        {
            if (Matches(property, variable) && property.GetValue(instance) is { } value && !IsEmpty(value))
            {
                return (Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
                    $"{property.DeclaringType!.Name}.{property.Name}");
            }
        }

        return (Contract[variable], "the server contract");
    }

    private static IEnumerable<(PropertyInfo Property, object Instance)> OptionProperties()
    {
        var assembly = Assembly.Load(new AssemblyName("Mnist.Inference.Grpc"));
        foreach (var type in assembly.GetTypes().Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)
                     && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null))
        {
            var instance = Activator.CreateInstance(type)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                yield return (property, instance);
            }
        }
    }

    private static bool Matches(PropertyInfo property, string variable)
    {
        var attribute = property.GetCustomAttributes()
            .FirstOrDefault(a => a.GetType().Name == "ConfigurationKeyNameAttribute");
        if (attribute?.GetType().GetProperty("Name")?.GetValue(attribute) is string keyName)
        {
            return string.Equals(keyName, variable, StringComparison.OrdinalIgnoreCase);
        }

        var name = Normalize(property.Name);
        var wanted = Normalize(variable);
        return name == wanted || name == wanted.Replace("DIR", "DIRECTORY", StringComparison.Ordinal);
    }

    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static bool IsEmpty(object value) => value switch
    {
        string s => s.Length == 0,
        int i => i == 0,
        _ => false,
    };
}
