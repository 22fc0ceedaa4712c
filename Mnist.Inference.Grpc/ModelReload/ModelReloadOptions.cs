using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>Where the trainer's volume is, and how often it is re-checked.</summary>
public sealed class ModelReloadOptions
{
    public const string DefaultModelDir = "/models";

    /// <summary>The trainer's volume: model.dat, model.json and cards/.</summary>
    [ConfigurationKeyName("MODEL_DIR")]
    [Required]
    public string ModelDir { get; set; } = DefaultModelDir;

    /// <summary>How often the model directory is re-checked, besides file-system events (network volumes may not raise them).</summary>
    [ConfigurationKeyName("MODEL_POLL_SECONDS")]
    [Range(0.1, 3600)]
    public double PollSeconds { get; set; } = 2;

    /// <summary>Whether a loaded model runs a few forwards before it is published, so the first calls run at full speed.</summary>
    [ConfigurationKeyName("WARMUP_ENABLED")]
    public bool WarmupEnabled { get; set; } = true;
}
