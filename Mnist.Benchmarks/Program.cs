using Mnist.Benchmarks;
using Mnist.Benchmarks.Server;

// Small dispatcher: one mode per benchmark, e.g. `dotnet run -c Release --project Mnist.Benchmarks -- forward`.
var modes = new Dictionary<string, Func<string[], int>>(StringComparer.OrdinalIgnoreCase)
{
    ["forward"] = ForwardBenchmark.Run,
    ["forward-concurrent"] = ConcurrentPredictBenchmark.Run,
    ["grpc-request"] = GrpcRequestFile.Run,
    ["grpc-check"] = GrpcPredictCheck.Run,
    ["oip-check"] = OpenInferenceRequestFile.Check,
    ["oip-request"] = OpenInferenceRequestFile.Write,
    ["overload"] = OverloadBenchmark.Run,
    ["startup"] = StartupBenchmark.Run,
};

if (args.Length == 0 || !modes.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Mnist.Benchmarks <mode> [options]; modes: {string.Join(", ", modes.Keys)}");
    return 2;
}

return run(args[1..]);
