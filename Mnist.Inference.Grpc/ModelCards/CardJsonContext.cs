using System.Text.Json.Serialization;

namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>Source-generated JSON for the trainer's model.json and card.json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ModelJsonFile))]
[JsonSerializable(typeof(CardJsonFile))]
internal sealed partial class CardJsonContext : JsonSerializerContext;
