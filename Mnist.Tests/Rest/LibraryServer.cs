using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Server;
using Mnist.Grpc.Transcoding;
using Mnist.Grpc.Wire;
using Mnist.Tests.Rest.Proto;

namespace Mnist.Tests.Rest;

/// <summary>
/// Real Kestrel (HTTP/1.1) serving the test-only <c>transcoding.test.Library</c> service through
/// <see cref="GrpcJsonTranscodingExtensions.MapGrpcJsonTranscoding"/>: each method echoes the request it was
/// given, so tests see exactly what the binder built. <c>Fail</c> throws the status named by <c>code</c>.
/// </summary>
internal sealed class LibraryServer : IAsyncDisposable
{
    public const int BodyLimit = 4096;
    public const int UnexpectedFailureCode = 99;

    private readonly WebApplication _app;

    private LibraryServer(WebApplication app, Uri address)
    {
        _app = app;
        Http = new HttpClient { BaseAddress = address, Timeout = InferenceServer.Timeout };
    }

    public HttpClient Http { get; }

    public static async Task<LibraryServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        builder.Services.AddGrpcWire();
        builder.Services.AddGrpcJsonTranscoding(o => o.MaxRequestBodySize = BodyLimit);
        builder.Services.AddGrpcService(_ =>
        {
            var definition = GrpcServiceDefinition.For(TranscodingTestReflection.Descriptor.Services[0]);
            foreach (var name in (string[])["GetBook", "CreateBook", "UpdateBook", "CancelShelf", "GetFile", "GetLabel", "Head"])
            {
                definition.Unary<BookRequest, BookReply>(name, (request, context) => Task.FromResult(Echo(name, request, context)));
            }

            return definition.Unary<BookRequest, BookReply>("Fail", (request, _) => Fail(request));
        });
        var app = builder.Build();
        app.MapGrpcJsonTranscoding();
        await app.StartAsync().WaitAsync(InferenceServer.Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LibraryServer(app, new Uri(address));
    }

    private static BookReply Echo(string name, BookRequest request, GrpcCallContext context) =>
        new() { Request = request, Label = $"{name} {context.Method} shelf={request.Shelf}" };

    private static Task<BookReply> Fail(BookRequest request) => request.Code == UnexpectedFailureCode
        ? throw new InvalidOperationException("secret internal detail")
        : throw new GrpcStatusException((StatusCode)request.Code, $"failed with {(StatusCode)request.Code} as asked");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(InferenceServer.Timeout);
        await _app.DisposeAsync();
    }
}
