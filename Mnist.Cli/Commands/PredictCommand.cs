using System.CommandLine;
using System.CommandLine.Parsing;
using Mnist.Cli.Help;
using Mnist.Cli.Input;
using Mnist.Cli.Parsing;

namespace Mnist.Cli.Commands;

/// <summary><c>mnist predict FILE...</c> or <c>mnist predict --test-id N / --test-ids A..B</c>.</summary>
internal static class PredictCommand
{
    public const int DefaultJobs = 8;
    public const int MaxJobs = 64;

    public static Command Create(CommonOptions common, CliEnvironment environment)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "images of a digit, PNG or JPEG (the server decodes no other format); - reads one image from standard input",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var testId = new Option<int[]>("--test-id")
        {
            Description = $"Predict MNIST test image N (0..{TestIdRange.MaxId}) and compare with its label; repeatable",
            HelpName = "N",
            CustomParser = ParseTestIds,
        };
        var testIds = new Option<TestIdRange?>("--test-ids")
        {
            Description = "Predict a range of MNIST test images, e.g. 0..99, and report the accuracy",
            HelpName = "FROM..TO",
            CustomParser = ParseTestIdRange,
        };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "How many calls may be in flight at once",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultJobs,
        };
        jobs.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > MaxJobs)
            {
                result.AddError($"--jobs must be from 1 to {MaxJobs}");
            }
        });

        var batch = new Option<int?>("--batch")
        {
            Description = $"Send the files N at a time, in Open Inference Protocol ModelInfer calls (1..{PredictFilesBatched.MaxBatch})",
            HelpName = "N",
        };
        batch.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1 or > PredictFilesBatched.MaxBatch)
            {
                result.AddError($"--batch must be from 1 to {PredictFilesBatched.MaxBatch}");
            }
        });

        var command = new Command("predict", "Classify handwritten digits: image files, or images of the MNIST test set by id")
        {
            files, testId, testIds, jobs, batch,
        };
        command.Validators.Add(result => Validate(result, files, testId, testIds));
        command.Validators.Add(result =>
        {
            // The test set lives on the server; ModelInfer carries the image itself, so only files can be batched.
            if (result.GetResult(batch) is not null && (result.GetResult(testId) is not null || result.GetResult(testIds) is not null))
            {
                result.AddError("--batch sends image files; test ids are looked up by the server one call each (leave out --batch)");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var run = new CommandRun(common.Read(parseResult), environment);
            var maxInFlight = parseResult.GetValue(jobs);
            var names = parseResult.GetValue(files) ?? [];
            if (names.Length > 0 && parseResult.GetValue(batch) is { } size)
            {
                return PredictFilesBatched.RunAsync(run, names, size, maxInFlight, cancellationToken);
            }

            if (names.Length > 0)
            {
                return PredictFiles.RunAsync(run, names, maxInFlight, cancellationToken);
            }

            var ids = (parseResult.GetValue(testId) ?? []).Concat(parseResult.GetValue(testIds)?.Ids ?? []).ToArray();
            return PredictTestSamples.RunAsync(run, ids, maxInFlight, cancellationToken);
        });
        HelpText.AddExamples(command,
            ("mnist predict digit.png scans/*.jpg", "one line per file, then a summary"),
            ("convert photo.heic png:- | mnist predict -", "read the image from standard input"),
            ("mnist predict --batch 64 scans/*.png", "64 files per call (Open Inference Protocol ModelInfer)"),
            ("mnist predict --test-ids 0..999", "accuracy of the served model on 1000 test images"),
            ("mnist predict --test-id 8 --test-id 42 --json", "JSON lines with id, label and prediction"));
        return command;
    }

    private static void Validate(CommandResult result, Argument<string[]> files, Option<int[]> testId, Option<TestIdRange?> testIds)
    {
        var names = result.GetValue(files) ?? [];
        // The parser takes any token it cannot match for a FILE; a dash in front means the user meant an option.
        if (names.FirstOrDefault(name => name.StartsWith('-') && name != ImageFile.StandardInput) is { } unknown)
        {
            result.AddError($"unknown option '{unknown}' (a file whose name starts with - can be given as ./{unknown})");
            return;
        }

        var byId = result.GetResult(testId) is not null || result.GetResult(testIds) is not null;
        if (names.Length == 0 && !byId)
        {
            result.AddError("nothing to predict: give image files (or - for standard input), --test-id N or --test-ids FROM..TO");
        }
        else if (names.Length > 0 && byId)
        {
            result.AddError("give either image files or test ids, not both");
        }
        else if (names.Count(name => name == ImageFile.StandardInput) > 1)
        {
            result.AddError("- (standard input) can be given only once");
        }
    }

    private static int[] ParseTestIds(ArgumentResult result)
    {
        var ids = new int[result.Tokens.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            if (!TestIdRange.TryParseId(result.Tokens[i].Value, out ids[i], out var error))
            {
                result.AddError($"--test-id: {error}");
            }
        }

        return ids;
    }

    private static TestIdRange? ParseTestIdRange(ArgumentResult result)
    {
        if (TestIdRange.TryParse(result.Tokens[^1].Value, out var range, out var error))
        {
            return range;
        }

        result.AddError($"--test-ids: {error}");
        return null;
    }
}
