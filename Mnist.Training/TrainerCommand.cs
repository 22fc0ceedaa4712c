using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mnist.Training;

/// <summary>The command line: options with defaults (some from the environment), validated at parse time.</summary>
internal static class TrainerCommand
{
    /// <summary>Parses <paramref name="args"/> and runs the trainer; returns the process exit code.</summary>
    /// <param name="handleSignals">Turn SIGINT/SIGTERM into cancellation (the real process; not in-process tests).</param>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, bool handleSignals, CancellationToken cancellationToken = default)
    {
        var command = Create(output, error);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run with --help to see the options.");
            return ExitCodes.BadArguments;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // A batch takes well under a second, so the job stops long before this.
            ProcessTerminationTimeout = handleSignals ? TimeSpan.FromSeconds(20) : null,
        };
        return await parsed.InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Folder with the four MNIST IDX files (.gz or plain). Env DATA_DIR; default: data/mnist next to the executable.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("DATA_DIR") is { Length: > 0 } dir
                ? dir
                : Path.Combine(AppContext.BaseDirectory, "data", "mnist"),
        };
        var modelDir = new Option<string>("--model-dir")
        {
            Description = "Folder that receives model.dat and model.json (created if missing). Env MODEL_DIR.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MODEL_DIR") is { Length: > 0 } dir ? dir : "/models",
        };
        var epochs = Integer("--epochs", "Passes over the training set.", 1, max: 1000);
        var batchSize = Integer("--batch-size", "Images per optimizer step.", 64, max: 8192);
        var lr = PositiveNumber("--lr", "Adadelta learning rate.", 1f);
        var gamma = PositiveNumber("--gamma", "Learning-rate decay per epoch (StepLR).", 0.7f);
        var seed = Integer("--seed", "Seed for initialisation, shuffling and dropout.", 1, min: int.MinValue, max: int.MaxValue);
        var threads = Integer("--threads", "libtorch intra-op threads (default: all cores; fewer when other jobs share the cores).", Environment.ProcessorCount, max: 1024);
        var limit = new Option<int?>("--limit")
        {
            Description = "Train on only the first N training images (quick runs).",
            CustomParser = result => ParseInteger(result, "--limit", 1, int.MaxValue),
        };

        var root = new RootCommand("Trains the MNIST CNN and writes model.dat (TorchSharp state dict) and model.json to the model directory.")
        {
            dataDir, modelDir, epochs, batchSize, lr, gamma, seed, threads, limit,
        };
        root.SetAction((result, cancellationToken) =>
        {
            var options = new TrainingOptions(
                result.GetRequiredValue(dataDir),
                result.GetRequiredValue(modelDir),
                result.GetValue(epochs),
                result.GetValue(batchSize),
                result.GetValue(lr),
                result.GetValue(gamma),
                result.GetValue(seed),
                result.GetValue(threads),
                result.GetValue(limit));
            return new TrainingJob(options, output, error, TimeProvider.System).RunAsync(cancellationToken);
        });
        return root;
    }

    private static Option<int> Integer(string name, string description, int defaultValue, int min = 1, int max = int.MaxValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseInteger(result, name, min, max),
    };

    private static Option<float> PositiveNumber(string name, string description, float defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value) && value > 0)
            {
                return value;
            }

            result.AddError($"{name} must be a positive number, got '{text}'.");
            return default;
        },
    };

    private static int ParseInteger(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} must be a whole number from {min} to {max}, got '{text}'.");
        return default;
    }
}
