namespace Mnist.Model.Volume;

/// <summary>The card of one version as read from the volume: model.json, card.json and the plots' PNG bytes by file name.</summary>
public sealed record PublishedCard(ModelInfo Info, ModelCard Card, IReadOnlyDictionary<string, byte[]> Plots);
