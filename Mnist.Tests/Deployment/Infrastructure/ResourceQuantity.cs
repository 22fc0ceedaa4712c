using System.Globalization;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>Kubernetes resource quantities ("2", "500m", "512Mi") and the downward API's resourceFieldRef rounding.</summary>
internal static class ResourceQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024),
        ("k", 1000m), ("M", 1000m * 1000), ("G", 1000m * 1000 * 1000), ("m", 0.001m),
    ];

    public static decimal Parse(string text)
    {
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                return decimal.Parse(text[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>What the kubelet puts in the variable: the quantity divided by the divisor, rounded up.</summary>
    public static string Expose(string quantity, string? divisor) =>
        Math.Ceiling(Parse(quantity) / Parse(divisor ?? "1")).ToString(CultureInfo.InvariantCulture);
}
