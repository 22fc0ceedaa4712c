using Mnist.Cli.Parsing;
using Mnist.V1;

namespace Mnist.Cli.Output;

/// <summary>Writes results to stdout, as text for people or as JSON lines for scripts.</summary>
internal interface IResultWriter
{
    void FilePrediction(string file, Prediction prediction);

    /// <summary>After several files: how many were predicted and how many failed.</summary>
    void FilesSummary(int files, int predicted, int failed);

    void TestSamplesHeader();

    void TestSample(TestSamplePrediction sample);

    /// <summary>After test samples: accuracy over those that were predicted.</summary>
    void TestSamplesSummary(int predicted, int correct, int failed);

    void Health(ServerAddress server, HealthResponse health);

    void Model(ModelInfo card);
}
