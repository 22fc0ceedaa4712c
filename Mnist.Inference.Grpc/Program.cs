using Mnist.Inference.Grpc.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddMnistInference();

var app = builder.Build();
app.MapMnistInference();
app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
