using System.Globalization;
using Mnist.Cli.Parsing;
using Mnist.V1;

namespace Mnist.Cli.Output;

/// <summary>Plain lines for people: <c>digit.png: 7 (99.2%)</c>, an aligned table for test samples.</summary>
internal sealed class TextResultWriter(TextWriter output, TextStyle style) : IResultWriter
{
    public const string WrongMark = "wrong";

    public void FilePrediction(string file, Prediction prediction) =>
        output.WriteLine($"{file}: {prediction.Digit} ({Percent(prediction.Confidence)})");

    public void FilesSummary(int files, int predicted, int failed) =>
        output.WriteLine($"{files} files: {predicted} predicted, {failed} failed");

    public void TestSamplesHeader() => output.WriteLine("   id  predicted  label  confidence");

    public void TestSample(TestSamplePrediction sample)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{sample.Id,5}  {sample.Prediction.Digit,9}  {sample.Label,5}  {Percent(sample.Prediction.Confidence),10}");
        output.WriteLine(sample.Correct ? line : $"{line}  {style.Wrong(WrongMark)}");
    }

    public void TestSamplesSummary(int predicted, int correct, int failed)
    {
        var accuracy = predicted == 0 ? "n/a" : Percent(correct / (float)predicted);
        var failures = failed == 0 ? string.Empty : $", {failed} failed";
        output.WriteLine($"accuracy {accuracy}: {correct} of {predicted} correct, {predicted - correct} wrong{failures}");
    }

    public void Health(ServerAddress server, HealthResponse health)
    {
        var status = health.Status switch
        {
            HealthResponse.Types.Status.Serving => style.Good("SERVING"),
            HealthResponse.Types.Status.NotServing => style.Wrong("NOT_SERVING"),
            _ => style.Wrong(health.Status.ToString()),
        };
        var model = string.IsNullOrEmpty(health.ModelVersion) ? "no model" : $"model {TerminalText.Escape(health.ModelVersion)}";
        var message = string.IsNullOrEmpty(health.Message) || health.Message == "serving" ? string.Empty : $" ({TerminalText.Escape(health.Message)})";
        output.WriteLine($"{server}: {status}, {model}{message}");
    }

    public void Model(ModelInfo card) => ModelCardText.Write(output, card);

    private static string Percent(float fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
