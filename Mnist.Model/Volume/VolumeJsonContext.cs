using System.Text.Json.Serialization;

namespace Mnist.Model.Volume;

/// <summary>Source-generated, reflection-free JSON for the volume's model.json and card.json (snake_case, indented).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(ModelCard))]
public sealed partial class VolumeJsonContext : JsonSerializerContext;
