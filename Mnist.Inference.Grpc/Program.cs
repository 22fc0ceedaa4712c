using Mnist.Inference.Grpc.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddInferenceServer();   // Hosting/InferenceServerSetup.cs: every feature's options and services, Kestrel's listeners

var app = builder.Build();
app.UseInferencePipeline();     // Hosting/InferencePipeline.cs: the middleware in order, then the endpoints
app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
