using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Mnist.Cli.Parsing;
using Mnist.V1;

namespace Mnist.Cli.Output;

/// <summary>
/// One JSON object per line, each the proto3 JSON of a response (default values included, so <c>"digit": 0</c>
/// is never missing). A file's prediction is wrapped as <c>{"file": ..., "prediction": {...}}</c> so lines can be
/// matched to files. Summaries are left out: jq can compute them.
/// </summary>
internal sealed class JsonResultWriter(TextWriter output) : IResultWriter
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public void FilePrediction(string file, Prediction prediction)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("file", file);
            writer.WritePropertyName("prediction");
            writer.WriteRawValue(Formatter.Format(prediction), skipInputValidation: true);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    public void FilesSummary(int files, int predicted, int failed)
    {
    }

    public void TestSamplesHeader()
    {
    }

    public void TestSample(TestSamplePrediction sample) => output.WriteLine(Formatter.Format(sample));

    public void TestSamplesSummary(int predicted, int correct, int failed)
    {
    }

    public void Health(ServerAddress server, HealthResponse health) => output.WriteLine(Formatter.Format(health));

    public void Model(ModelInfo card) => output.WriteLine(Formatter.Format(card));
}
