using System.Text.Json.Serialization;

namespace Mnist.Training.Publishing;

/// <summary>Source-generated, reflection-free JSON for model.json (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ModelInfo))]
internal sealed partial class ModelInfoJsonContext : JsonSerializerContext;
