using System.Text.Json.Serialization;
using Mnist.Training.Plots;

namespace Mnist.Training.Publishing;

/// <summary>Source-generated, reflection-free JSON for model.json and card.json (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ModelCard))]
internal sealed partial class ModelInfoJsonContext : JsonSerializerContext;
