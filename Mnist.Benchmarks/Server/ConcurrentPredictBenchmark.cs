using Mnist.Model;
using System.Diagnostics;
using Mnist.Model.Data;
using Mnist.Model.Inference;
using Mnist.Model.Network;
using Mnist.Model.Weights;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>forward-concurrent</c>: what the predictor alone does in-process, the ceiling for the server. N threads
/// each call <see cref="MnistPredictor.Predict"/> on one image at a time (batch 1, N in flight, no batcher) for a fixed time.
/// Options: --model (model.dat; random weights if absent), --data-dir (data/mnist), --callers (16), --seconds (5).
/// Prints <c>PREDICTOR callers=N images_per_s=X cpu_us_per_image=Y</c> for scripts; CPU time per image hardly changes
/// when other processes compete for the cores, so it compares with the server's CPU time per request.
/// </summary>
internal static class ConcurrentPredictBenchmark
{
    private const int Images = 1000;

    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var modelPath = options.Text("model", "");
        TorchSharp.torch.manual_seed(1);
        using var predictor = new MnistPredictor(File.Exists(modelPath) ? MnistWeights.Load(modelPath) : new MnistNet());
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var callers = options.Integer("callers", 16);
        var duration = TimeSpan.FromSeconds(options.Number("seconds", 5));

        var (count, elapsed, cpu) = Measure(predictor, test, callers, duration);
        var rate = count / elapsed.TotalSeconds;
        var cpuPerImage = cpu.TotalMicroseconds / count;
        Console.WriteLine($"predictor only, {callers} callers x batch 1 on {Environment.ProcessorCount} cores: {rate:F0} images/s " +
                          $"({count} in {elapsed.TotalSeconds:F1} s, {cpuPerImage:F0} us of CPU time per image)");
        Console.WriteLine($"PREDICTOR callers={callers} images_per_s={rate:F0} cpu_us_per_image={cpuPerImage:F0}");
        return 0;
    }

    private static (long Count, TimeSpan Elapsed, TimeSpan Cpu) Measure(MnistPredictor predictor, MnistDataset test, int callers, TimeSpan duration)
    {
        using var ready = new CountdownEvent(callers);
        using var go = new ManualResetEventSlim();
        var stop = 0;
        var counts = new long[callers];
        var threads = new Thread[callers];
        for (var t = 0; t < callers; t++)
        {
            var caller = t;
            threads[t] = new Thread(() =>
            {
                Span<float> probabilities = stackalloc float[MnistShape.ClassCount];
                // Warm-up: JIT and libtorch's first-call set-up, as a server has after its first request.
                for (var i = 0; i < 20; i++)
                {
                    predictor.Predict(test.Image(i), probabilities);
                }

                ready.Signal();
                go.Wait();
                long done = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    predictor.Predict(test.Image((int)((caller * 37 + done) % Images)), probabilities);
                    done++;
                }

                counts[caller] = done;
            }) { IsBackground = true, Name = $"caller {t}" };
            threads[t].Start();
        }

        ready.Wait();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        go.Set();
        Thread.Sleep(duration);
        Volatile.Write(ref stop, 1);
        foreach (var thread in threads)
        {
            thread.Join();
        }

        clock.Stop();
        process.Refresh();
        return (counts.Sum(), clock.Elapsed, process.TotalProcessorTime - cpu);
    }
}
