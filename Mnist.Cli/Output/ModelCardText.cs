using System.Globalization;
using Mnist.V1;

namespace Mnist.Cli.Output;

/// <summary>The model card as plain, aligned lines for people (<c>mnist model</c>).</summary>
internal static class ModelCardText
{
    public static void Write(TextWriter output, ModelInfo card)
    {
        var hp = card.HyperParameters ?? new HyperParameters();
        output.WriteLine($"model {TerminalText.Escape(card.ModelVersion)}");
        output.WriteLine(Invariant($"trained {card.CreatedTime?.ToDateTimeOffset():yyyy-MM-dd HH:mm:ss}Z with TorchSharp {TerminalText.Escape(card.TorchsharpVersion)} (libtorch {TerminalText.Escape(card.LibtorchVersion)}) in {card.TrainingSeconds:0.0} s"));
        output.WriteLine(Invariant($"test accuracy {Percent(card.TestAccuracy)} on {card.TestImages} images, test loss {card.TestLoss:0.0000}"));
        output.WriteLine(Invariant($"training: {hp.Epochs} epoch(s) on {card.TrainingImages} images, batch {hp.BatchSize}, lr {hp.LearningRate}, gamma {hp.Gamma}, seed {hp.Seed}, {hp.Threads} thread(s)"));

        output.WriteLine();
        output.WriteLine("epoch  train loss  test loss  test accuracy");
        foreach (var e in card.Epochs)
        {
            output.WriteLine(Invariant($"{e.Epoch,5}  {e.TrainLoss,10:0.0000}  {e.TestLoss,9:0.0000}  {Percent(e.TestAccuracy),13}"));
        }

        output.WriteLine();
        output.WriteLine("confusion matrix (rows: true digit, columns: predicted digit; last column: accuracy)");
        var columns = card.ConfusionMatrix.Count;
        output.WriteLine("     " + string.Concat(Enumerable.Range(0, columns).Select(d => Invariant($"{d,6}"))) + "  accuracy");
        for (var label = 0; label < columns; label++)
        {
            var counts = string.Concat(card.ConfusionMatrix[label].Counts.Select(c => Invariant($"{c,6}")));
            var accuracy = label < card.ClassAccuracy.Count ? Percent(card.ClassAccuracy[label]) : "n/a";
            output.WriteLine(Invariant($"{label,5}{counts}  {accuracy,8}"));
        }

        if (card.MostConfused.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("most confused test images (mnist predict --test-id ID):");
            foreach (var c in card.MostConfused)
            {
                output.WriteLine(Invariant($"{c.Id,5}: {c.Label} read as {c.Predicted} ({Percent(c.Confidence)})"));
            }
        }

        if (card.Plots.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("plots (HTTP port): " + string.Join(", ", card.Plots.Select(p => "/v1/model/plots/" + TerminalText.Escape(p))));
        }
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
