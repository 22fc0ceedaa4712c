using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Inference;
using Mnist.Cli.Calls;
using Mnist.Cli.Input;
using Mnist.V1;

namespace Mnist.Cli.Commands;

/// <summary>
/// <c>mnist predict --batch N FILE...</c>: sends the files N at a time in Open Inference ModelInfer calls (input
/// <c>image</c>, BYTES), and prints exactly what <see cref="PredictFiles"/> prints, one line per file in order.
/// </summary>
internal static partial class PredictFilesBatched
{
    public const int MaxBatch = 1024;

    public static async Task<int> RunAsync(CommandRun run, string[] files, int batch, int maxInFlight, CancellationToken cancellationToken)
    {
        using var _ = run;
        run.Diagnostics.Note($"predicting {files.Length} file(s) on {run.Settings.Server.Uri} in ModelInfer calls of up to {batch}, {maxInFlight} at a time, deadline {run.Settings.Timeout} each");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var chunks = files.Chunk(batch).ToArray();
        var results = OrderedConcurrency.RunAsync(chunks, maxInFlight, (chunk, token) => PredictAsync(run, chunk, token), stop.Token);
        return await FileResults.ReportAsync(run, files.Length, EachFile(results), stop).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<(string File, Prediction? Prediction, Failure? Failure)> EachFile(
        IAsyncEnumerable<(string File, Prediction? Prediction, Failure? Failure)[]> chunks)
    {
        await foreach (var chunk in chunks.ConfigureAwait(false))
        {
            foreach (var result in chunk)
            {
                yield return result;
            }
        }
    }

    // One result per file, in order. A file the server refuses ("image i: ...") fails alone; the rest are sent again.
    private static async Task<(string File, Prediction? Prediction, Failure? Failure)[]> PredictAsync(CommandRun run, string[] files, CancellationToken cancellationToken)
    {
        var results = new (string File, Prediction? Prediction, Failure? Failure)[files.Length];
        var pending = new List<(int Index, byte[] Bytes)>(files.Length);
        for (var i = 0; i < files.Length; i++)
        {
            var (bytes, readFailure) = await ImageFile.ReadAsync(files[i], run.Environment.OpenInput, cancellationToken).ConfigureAwait(false);
            results[i] = (files[i], null, readFailure);
            if (readFailure is null)
            {
                pending.Add((i, bytes!));
            }
        }

        while (pending.Count > 0)
        {
            try
            {
                var response = await run.Inference.ModelInferAsync(Request(pending), run.CallOptions(cancellationToken)).ConfigureAwait(false);
                var predictions = Predictions(response, pending.Count);
                for (var k = 0; k < pending.Count; k++)
                {
                    results[pending[k].Index] = (files[pending[k].Index], predictions[k], null);
                }

                break;
            }
            catch (RpcException e) when (OneImage(e) is var (k, detail) && k < pending.Count)
            {
                var index = pending[k].Index;
                var refused = new RpcException(new Status(e.StatusCode, detail));
                results[index] = (files[index], null, FailureClassifier.Classify(refused, files[index], aboutFile: true, run.Settings));
                pending.RemoveAt(k);
            }
            catch (RpcException e)
            {
                foreach (var (index, _) in pending)
                {
                    results[index] = (files[index], null, FailureClassifier.Classify(e, files[index], aboutFile: true, run.Settings));
                }

                break;
            }
        }

        return results;
    }

    private static ModelInferRequest Request(List<(int Index, byte[] Bytes)> images)
    {
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "image", Datatype = "BYTES", Contents = new InferTensorContents() };
        input.Shape.Add(images.Count);
        // The bytes are never touched again, so the request can wrap them instead of copying.
        input.Contents.BytesContents.Add(images.Select(i => UnsafeByteOperations.UnsafeWrap(i.Bytes)));
        var request = new ModelInferRequest { ModelName = "mnist" };
        request.Inputs.Add(input);
        return request;
    }

    // The mnist.v1 Prediction each image would have had: the writers print those.
    private static Prediction[] Predictions(ModelInferResponse response, int count)
    {
        var probabilities = response.Outputs.Single(o => o.Name == "probabilities").Contents.Fp32Contents;
        var digits = response.Outputs.Single(o => o.Name == "digit").Contents.Int64Contents;
        if (probabilities.Count != count * 10 || digits.Count != count)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"the server answered {digits.Count} digits for {count} images"));
        }

        var predictions = new Prediction[count];
        for (var i = 0; i < count; i++)
        {
            var prediction = new Prediction { Digit = (int)digits[i], ModelVersion = response.ModelVersion };
            prediction.Probabilities.Add(probabilities.Skip(i * 10).Take(10));
            prediction.Confidence = prediction.Probabilities[prediction.Digit];
            predictions[i] = prediction;
        }

        return predictions;
    }

    // The server names a refused image by its index: "image 3: <why>".
    private static (int Index, string Detail)? OneImage(RpcException e) =>
        e.StatusCode is StatusCode.InvalidArgument or StatusCode.ResourceExhausted && ImageRefusal().Match(e.Status.Detail) is { Success: true } m
            ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value)
            : null;

    [GeneratedRegex(@"^image (\d+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex ImageRefusal();
}
