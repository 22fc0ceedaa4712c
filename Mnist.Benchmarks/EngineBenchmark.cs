using System.Diagnostics;
using Mnist.Model.Inference;
using Mnist.Model.Network;
using Mnist.Model.Optimizers;
using Mnist.Model.Training;

namespace Mnist.Benchmarks;

/// <summary>
/// Engine throughput: training images/s (batch 64, Adadelta) and inference images/s at batch 1 and 64.
/// Synthetic pixels: the arithmetic does not depend on the values. Options: --batches N (default 100), --train-only.
/// </summary>
internal static class EngineBenchmark
{
    private const int BatchSize = 64;

    public static int Run(string[] args)
    {
        var batchesAt = Array.IndexOf(args, "--batches");
        var batches = batchesAt >= 0 ? int.Parse(args[batchesAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var trainOnly = args.Contains("--train-only"); // e.g. under `perf record`, to profile training alone
        var random = new Random(1);
        var pixels = new byte[BatchSize * MnistNet.PixelCount];
        random.NextBytes(pixels);
        var images = new float[pixels.Length];
        MnistNormalization.Normalize(pixels, images);
        var labels = new byte[BatchSize];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (byte)random.Next(MnistNet.ClassCount);
        }

        var net = MnistNet.CreateInitialized(1);
        var optimizer = new Adadelta(net.Parameters);
        var step = new TrainingStep(net, BatchSize, 1);
        Console.WriteLine($"cores: {Environment.ProcessorCount}");

        for (var i = 0; i < 10; i++)
        {
            step.Run(images, labels, optimizer); // warm-up: first touch of buffers, and tiered JIT up to its final code
        }

        var allocated = GC.GetTotalAllocatedBytes(true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var b = 0; b < batches; b++)
        {
            step.Run(images, labels, optimizer);
        }

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var trainRate = batches * BatchSize / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"train   batch {BatchSize}: {trainRate,9:F0} images/s  ({watch.Elapsed.TotalMilliseconds / batches:F2} ms/batch, " +
                          $"epoch of 60000 ~ {60000 / trainRate:F1} s, {(GC.GetTotalAllocatedBytes(true) - allocated) / batches} B allocated/batch)");
        // CPU time is robust to other processes competing for the cores; wall time is what a user waits.
        Console.WriteLine($"        cpu time {cpu.TotalMilliseconds / batches:F2} ms/batch: an epoch on {Environment.ProcessorCount} idle cores ~ " +
                          $"{cpu.TotalSeconds / batches * (60000.0 / BatchSize) / Environment.ProcessorCount:F1} s");

        if (trainOnly)
        {
            return 0;
        }

        var predictor = new MnistPredictor(net);
        var probabilities = new float[BatchSize * MnistNet.ClassCount];
        var single = pixels.AsSpan(0, MnistNet.PixelCount).ToArray();
        predictor.Predict(single, probabilities.AsSpan(0, MnistNet.ClassCount));
        var singles = batches * 100;
        allocated = GC.GetAllocatedBytesForCurrentThread();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        for (var i = 0; i < singles; i++)
        {
            predictor.Predict(single, probabilities.AsSpan(0, MnistNet.ClassCount));
        }

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"predict batch  1: {singles / watch.Elapsed.TotalSeconds,9:F0} images/s  ({watch.Elapsed.TotalMicroseconds / singles:F0} us/image, " +
                          $"{(GC.GetAllocatedBytesForCurrentThread() - allocated) / singles} B allocated/call)");
        Console.WriteLine($"        cpu time {cpu.TotalMicroseconds / singles:F0} us/image");

        predictor.PredictBatch(pixels, probabilities);
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        watch.Restart();
        for (var b = 0; b < batches; b++)
        {
            predictor.PredictBatch(pixels, probabilities);
        }

        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"predict batch {BatchSize}: {batches * BatchSize / watch.Elapsed.TotalSeconds,9:F0} images/s  ({watch.Elapsed.TotalMilliseconds / batches:F2} ms/batch)");
        Console.WriteLine($"        cpu time {cpu.TotalMilliseconds / batches:F2} ms/batch: {batches * BatchSize / cpu.TotalSeconds * Environment.ProcessorCount:F0} images/s on {Environment.ProcessorCount} idle cores");
        return 0;
    }
}
