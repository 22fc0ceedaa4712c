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
            Description = "Folder that receives model.dat and model.json (created if missing). Env MODEL_DIR; default /models.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MODEL_DIR") is { Length: > 0 } dir ? dir : "/models",
        };
        var epochs = Positive(new Option<int>("--epochs") { Description = "Passes over the training set.", DefaultValueFactory = _ => 1 }, 1000);
        var batchSize = Positive(new Option<int>("--batch-size") { Description = "Images per optimizer step.", DefaultValueFactory = _ => 64 }, 8192);
        var lr = PositiveFinite(new Option<float>("--lr") { Description = "Adadelta learning rate.", DefaultValueFactory = _ => 1f });
        var gamma = PositiveFinite(new Option<float>("--gamma") { Description = "Learning-rate decay per epoch (StepLR).", DefaultValueFactory = _ => 0.7f });
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation, shuffling and dropout.", DefaultValueFactory = _ => 1 };
        var threads = Positive(new Option<int>("--threads") { Description = "Cores to use.", DefaultValueFactory = _ => Environment.ProcessorCount }, 1024);
        var limit = Positive(new Option<int?>("--limit") { Description = "Train on only the first N training images (quick runs)." }, int.MaxValue);

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

    private static Option<T> Positive<T>(Option<T> option, int max)
    {
        option.Validators.Add(result =>
        {
            var value = Convert.ToInt64(result.GetValueOrDefault<T>(), CultureInfo.InvariantCulture);
            if (value < 1 || value > max)
            {
                result.AddError($"{option.Name} must be between 1 and {max}, got {value}.");
            }
        });
        return option;
    }

    private static Option<float> PositiveFinite(Option<float> option)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<float>();
            if (!float.IsFinite(value) || value <= 0)
            {
                result.AddError($"{option.Name} must be a positive number, got {value.ToString(CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }
}
