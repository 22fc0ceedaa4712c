using Mnist.Model.Volume;
using Mnist.Training.Loop;
using ScottPlot;

namespace Mnist.Training.Plots;

/// <summary>The card's two plots as PNG files, drawn with ScottPlot: the training curve and the confusion matrix.</summary>
internal static class CardPlots
{
    public const string TrainingCurveFile = "training-curve.png";
    public const string ConfusionMatrixFile = "confusion-matrix.png";

    private const int Width = 640;
    private const int Height = 480;

    // Process-wide in ScottPlot: every plot of this process uses the embedded font. Done on first use, inside
    // EnsureAvailable's check, since it already needs SkiaSharp's native library.
    private static readonly Lazy<bool> s_fontsRegistered = new(() =>
    {
        Fonts.FontResolvers.Add(new EmbeddedFont());
        Fonts.Default = EmbeddedFont.Name;
        return true;
    });

    /// <summary>Draws a tiny plot, so an image without SkiaSharp's native library fails before training, not after it.</summary>
    /// <exception cref="PlotsUnavailableException">libSkiaSharp.so (or libHarfBuzzSharp.so) cannot be loaded.</exception>
    public static void EnsureAvailable()
    {
        try
        {
            var plot = NewPlot();
            plot.Title("check");
            plot.GetImageBytes(16, 16, ImageFormat.Png);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            var cause = e.InnerException ?? e;
            throw new PlotsUnavailableException(
                $"Cannot draw the model card's plots: SkiaSharp's native library did not load ({cause.GetType().Name}: {cause.Message}); " +
                "ship libSkiaSharp.so and libHarfBuzzSharp.so with the trainer.", e);
        }
    }

    /// <summary>Training loss, test loss (left axis) and test accuracy (right axis) per epoch.</summary>
    public static byte[] TrainingCurve(IReadOnlyList<EpochMetrics> epochs)
    {
        var plot = NewPlot();
        double[] x = [.. epochs.Select(e => (double)e.Epoch)];
        var train = plot.Add.Scatter(x, [.. epochs.Select(e => e.TrainLoss)]);
        train.LegendText = "training loss";
        var test = plot.Add.Scatter(x, [.. epochs.Select(e => e.TestLoss)]);
        test.LegendText = "test loss";
        var accuracy = plot.Add.Scatter(x, [.. epochs.Select(e => e.TestAccuracy * 100)]);
        accuracy.LegendText = "test accuracy (%)";
        accuracy.Axes.YAxis = plot.Axes.Right;
        foreach (var line in new[] { train, test, accuracy })
        {
            line.LineWidth = 2;
            line.MarkerSize = 8;
        }

        plot.Title("Training curve");
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "mean NLL loss";
        plot.Axes.Right.Label.Text = "test accuracy (%)";
        // Whole epochs only: a curve of one or two points would otherwise get ticks at 1.2, 1.4...
        double[] ticks = [.. x];
        plot.Axes.Bottom.SetTicks(ticks, [.. epochs.Select(e => e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(0.5, epochs.Count + 0.5);
        plot.ShowLegend(Alignment.MiddleRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>confusion[label][predicted] as a heat map with the counts written in; colour by log count, so single errors show.</summary>
    public static byte[] ConfusionMatrix(IReadOnlyList<int[]> confusion)
    {
        var plot = NewPlot();
        var classes = confusion.Count;
        var intensities = new double[classes, classes];
        for (var label = 0; label < classes; label++)
        {
            for (var predicted = 0; predicted < classes; predicted++)
            {
                // Negated: ScottPlot's Blues runs from dark to light, and the big counts should be the dark cells.
                intensities[label, predicted] = -Math.Log10(1 + confusion[label][predicted]);
            }
        }

        var map = plot.Add.Heatmap(intensities);
        map.Colormap = new ScottPlot.Colormaps.Blues();
        // Cell centres on whole digits, label 0 at the top row as the matrix is written.
        map.Position = new CoordinateRect(0, classes - 1, 0, classes - 1);
        var strongest = intensities.Cast<double>().DefaultIfEmpty(0).Min();
        for (var label = 0; label < classes; label++)
        {
            for (var predicted = 0; predicted < classes; predicted++)
            {
                var count = confusion[label][predicted];
                if (count == 0)
                {
                    continue;
                }

                var text = plot.Add.Text(count.ToString(System.Globalization.CultureInfo.InvariantCulture), predicted, label);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 12;
                text.LabelFontColor = intensities[label, predicted] < strongest * 0.6 ? Colors.White : Colors.Black;
            }
        }

        double[] digits = [.. Enumerable.Range(0, classes).Select(d => (double)d)];
        string[] names = [.. Enumerable.Range(0, classes).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        plot.Axes.Bottom.SetTicks(digits, names);
        plot.Axes.Left.SetTicks(digits, names);
        plot.Axes.SetLimits(-0.5, classes - 0.5, classes - 0.5, -0.5);
        plot.Title("Confusion matrix (test set)");
        plot.Axes.Bottom.Label.Text = "predicted digit";
        plot.Axes.Left.Label.Text = "true digit";
        return plot.GetImageBytes(Width, Height + 40, ImageFormat.Png);
    }

    private static Plot NewPlot()
    {
        _ = s_fontsRegistered.Value;
        var plot = new Plot();
        plot.Font.Set(EmbeddedFont.Name);
        return plot;
    }
}
