using Mnist.Model;
using System.Diagnostics;
using System.Globalization;
using Mnist.Model.Inference;
using Mnist.Model.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnist.Benchmarks;

/// <summary>
/// TorchSharp throughput: training images/s (batch 64, Adadelta, one dispose scope per batch) and eval-mode
/// inference images/s at batch sizes 1 to 128, the figures the server's batch size is chosen from. Synthetic
/// pixels: the arithmetic does not depend on the values. Options: --batches N (default 50), --threads N
/// (default all cores), --train-only, --predict-only, --sizes 1,8,64,256 (the inference batch sizes).
/// --train-layouts compares training steps with the convolution weights in libtorch's default layout and laid out
/// channels-last, interleaved in blocks of a few steps so that both see the same load on a shared machine.
/// </summary>
internal static class ForwardBenchmark
{
    private const int TrainBatch = 64;
    private static readonly int[] PredictBatches = [1, 2, 4, 8, 16, 32, 64, 128];

    public static int Run(string[] args)
    {
        var batches = Option(args, "--batches", 50);
        var threads = Option(args, "--threads", Environment.ProcessorCount);
        var at = Array.IndexOf(args, "--sizes");
        var sizes = at >= 0 ? args[at + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() : PredictBatches;
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        var random = new Random(1);
        var pixels = new byte[Math.Max(sizes.Max(), TrainBatch) * MnistShape.PixelCount];
        random.NextBytes(pixels);
        var labels = new long[TrainBatch];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(MnistShape.ClassCount);
        }

        Console.WriteLine($"cores: {Environment.ProcessorCount}, libtorch threads: {threads}, GLIBC_TUNABLES={Environment.GetEnvironmentVariable("GLIBC_TUNABLES") ?? "(unset)"}");
        if (args.Contains("--train-layouts"))
        {
            CompareTrainingLayouts(pixels.AsSpan(0, TrainBatch * MnistShape.PixelCount).ToArray(), labels, batches);
            return 0;
        }

        var net = new MnistNet();
        if (!args.Contains("--predict-only"))
        {
            Train(net, pixels.AsSpan(0, TrainBatch * MnistShape.PixelCount).ToArray(), labels, batches);
        }

        if (args.Contains("--train-only"))
        {
            net.Dispose();
            return 0;
        }

        using var predictor = new MnistPredictor(net);
        foreach (var size in sizes)
        {
            Predict(predictor, pixels.AsSpan(0, size * MnistShape.PixelCount), size, Math.Max(batches * 64 / size, 20));
        }

        return 0;
    }

    private static void Train(MnistNet net, byte[] pixels, long[] labels, int batches)
    {
        using var images = tensor(pixels, [TrainBatch, MnistShape.PixelCount]);
        using var targets = tensor(labels);
        var step = TrainingStep(net, images, targets);
        var (wall, cpu) = Time(batches, step);
        var rate = batches * TrainBatch / wall.TotalSeconds;
        Console.WriteLine($"train   batch {TrainBatch}: {rate,9:F0} images/s  ({wall.TotalMilliseconds / batches:F2} ms/batch, epoch of 60000 ~ {60000 / rate:F1} s, " +
                          $"cpu {cpu.TotalMilliseconds / batches:F2} ms/batch)");
    }

    private static void CompareTrainingLayouts(byte[] pixels, long[] labels, int batches)
    {
        const int block = 5;
        using var images = tensor(pixels, [TrainBatch, MnistShape.PixelCount]);
        using var targets = tensor(labels);
        using var nchw = new MnistNet();
        using var channelsLast = new MnistNet();
        channelsLast.ToChannelsLast();
        var steps = new[] { TrainingStep(nchw, images, targets), TrainingStep(channelsLast, images, targets) };
        var wall = new TimeSpan[2];
        var cpu = new TimeSpan[2];
        for (var done = 0; done < batches; done += block)
        {
            for (var layout = 0; layout < 2; layout++)
            {
                var (w, c) = Time(block, steps[layout]);
                wall[layout] += w;
                cpu[layout] += c;
            }
        }

        var count = (batches + block - 1) / block * block;
        Console.WriteLine($"train batch {TrainBatch}, {count} steps each, interleaved by {block}: NCHW {wall[0].TotalMilliseconds / count:F2} ms/step (cpu {cpu[0].TotalMilliseconds / count:F2}), "
            + $"channels-last {wall[1].TotalMilliseconds / count:F2} ms/step (cpu {cpu[1].TotalMilliseconds / count:F2}); channels-last / NCHW: wall {wall[1] / wall[0]:F2}, cpu {cpu[1] / cpu[0]:F2}");
    }

    // One training step of the trainer's recipe, after a warm-up of five (libtorch's first-call set-up, tiered JIT).
    private static Action TrainingStep(MnistNet net, Tensor images, Tensor targets)
    {
        net.train();
        var optimizer = optim.Adadelta(net.parameters());
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.nll_loss(net.forward(images), targets);
            loss.backward();
            optimizer.step();
        }

        for (var i = 0; i < 5; i++)
        {
            Step();
        }

        return Step;
    }

    private static void Predict(MnistPredictor predictor, ReadOnlySpan<byte> pixels, int size, int calls)
    {
        var input = pixels.ToArray();
        var probabilities = new float[size * MnistShape.ClassCount];
        predictor.Predict(input, probabilities);
        var (wall, cpu) = Time(calls, () => predictor.Predict(input, probabilities));
        Console.WriteLine($"predict batch {size,3}: {calls * size / wall.TotalSeconds,9:F0} images/s  ({wall.TotalMicroseconds / calls:F0} us/batch, " +
                          $"{wall.TotalMicroseconds / calls / size:F0} us/image, cpu {cpu.TotalMicroseconds / calls / size:F0} us/image)");
    }

    // CPU time is robust to other processes competing for the cores; wall time is what a user waits.
    private static (TimeSpan Wall, TimeSpan Cpu) Time(int count, Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            action();
        }

        watch.Stop();
        process.Refresh();
        return (watch.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
