using Mnist.Inference.Grpc.Configuration;
using Mnist.Inference.Grpc.Classification;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;
using Mnist.V1;

using Mnist.Inference.Grpc.OriginalServiceRoutes;
using Mnist.Inference.Grpc.WebPage;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>The hand-written HTTP side of the server: the original services' routes, the test image, the web page and 405s.</summary>
public static class MnistRestExtensions
{
    private const string CorsPolicy = "MnistRest";

    /// <summary>Registers <see cref="RestOptions"/>, the OpenAPI document and, when <c>CORS_ORIGINS</c> is set, a CORS policy.</summary>
    /// <returns>The bound settings, for the pipeline.</returns>
    public static RestOptions AddMnistRest(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptions<RestOptions>(
            o => o.CorsOriginList.All(IsOrigin), "CORS_ORIGINS must be comma-separated origins such as https://example.com.");
        builder.Services.AddMnistOpenApi();
        if (options.CorsOriginList.Length > 0)
        {
            builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(options.CorsOriginList).WithMethods(HttpMethods.Get, HttpMethods.Post).WithHeaders("Content-Type")));
        }

        return options;
    }

    /// <summary>CORS answers for the origins in <c>CORS_ORIGINS</c>; nothing when it is empty.</summary>
    public static IApplicationBuilder UseRestCors(this IApplicationBuilder app, RestOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        if (options.CorsOriginList.Length == 0)
        {
            return app;
        }

        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MnistRestExtensions).Namespace!);
        RestLog.CorsEnabled(logger, options.CorsOrigins);
        return app.UseCors(CorsPolicy);
    }

    /// <summary>
    /// Maps <c>/predict</c>, <c>/predict/{id}</c>, <c>/health</c>, <c>/healthz</c>, <c>/v1/test-samples/{id}/image.png</c>,
    /// <c>/v1/model/plots/{name}</c>,
    /// the page at <c>/</c> and the 405 answers of the transcoded paths (the <c>/v1/...</c> API itself comes with the
    /// gRPC service). Returns a builder for conventions such as the port it answers on.
    /// </summary>
    public static IEndpointConventionBuilder MapMnistRest(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var options = services.GetRequiredService<IOptions<RestOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MnistRestExtensions).Namespace!);
        var group = app.MapGroup("");
        var boundary = new RestErrorBoundary(services.GetRequiredService<ServerDrain>(), logger);
        var original = new OriginalServiceEndpoints(services.GetRequiredService<MnistService>(), options, boundary);
        group.MapPost("/predict", original.PredictUploadAsync).DisableAntiforgery();
        group.MapMethodNotAllowed("/predict", HttpMethods.Post);
        group.MapGet("/predict/{id}", original.PredictSampleAsync);
        group.MapMethodNotAllowed("/predict/{id}", HttpMethods.Get);
        group.MapGet("/health", original.HealthAsync).AllowWithoutKey();
        group.MapGet("/healthz", original.HealthAsync).AllowWithoutKey();
        group.MapTranscodedMethodNotAllowed(V1.Mnist.Descriptor);

        var image = new TestSampleImageEndpoint(services.GetRequiredService<TestSampleSet>(), boundary);
        group.MapGet("/v1/test-samples/{id}/image.png", image.HandleAsync);
        var plots = new ModelPlotEndpoint(services.GetRequiredService<DigitClassifier>(), boundary);
        group.MapGet(ModelPlotEndpoint.Route, plots.HandleAsync);
        group.MapMethodNotAllowed(ModelPlotEndpoint.Route, HttpMethods.Get);

        var page = new WebPageAssets(logger);
        // The page's own files are open: it asks for a key when the API needs one.
        group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], page.ServeAsync).AllowWithoutKey();
        foreach (var path in page.Paths)
        {
            group.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], page.ServeAsync).AllowWithoutKey();
        }

        return group;
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !origin.EndsWith('/');
}
