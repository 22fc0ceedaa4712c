using Mnist.Model.Inference;

namespace Mnist.Inference.Grpc.Models;

/// <summary>A model ready to serve: its predictor and the version clients see (sha256 of model.dat).</summary>
public sealed record LoadedModel(MnistPredictor Predictor, string Version, DateTimeOffset LoadedAt);
