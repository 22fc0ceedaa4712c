using Microsoft.Extensions.Options;
using Mnist.Grpc.Transcoding;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>The HTTP side of the server: transcoded API, the seeds' routes, the test image and the web page.</summary>
public static class MnistRestExtensions
{
    private const string CorsPolicy = "MnistRest";

    /// <summary>Registers <see cref="RestOptions"/>, the transcoder's options and, when <c>CORS_ORIGINS</c> is set, a CORS policy.</summary>
    public static WebApplicationBuilder AddMnistRest(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<RestOptions>()
            .Bind(builder.Configuration)
            .Validate(o => o.MaxUploadSize > 0, "MAX_UPLOAD_BYTES must be a positive number of bytes.")
            .Validate(o => o.CorsOriginList.All(IsOrigin), "CORS_ORIGINS must be comma-separated origins such as https://example.com.")
            .ValidateOnStart();
        builder.Services.AddGrpcJsonTranscoding();
        var origins = (builder.Configuration.Get<RestOptions>() ?? new RestOptions()).CorsOriginList;
        if (origins.Length > 0)
        {
            builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(origins).WithMethods(HttpMethods.Get, HttpMethods.Post).WithHeaders("Content-Type")));
        }

        return builder;
    }

    /// <summary>
    /// Maps <c>/v1/...</c> (transcoded from the proto), <c>/predict</c>, <c>/predict/{id}</c>, <c>/health</c>,
    /// <c>/healthz</c>, <c>/v1/test-samples/{id}/image.png</c> and the page at <c>/</c>. Returns a builder for
    /// conventions such as <c>RequireHost("*:8080")</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapMnistRest(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.Services;
        var options = services.GetRequiredService<IOptions<RestOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MnistRestExtensions).Namespace!);
        if (options.CorsOriginList.Length > 0)
        {
            app.UseCors(CorsPolicy);
            RestLog.CorsEnabled(logger, options.CorsOrigins);
        }

        var group = app.MapGroup("");
        group.MapGrpcJsonTranscoding();

        var seeds = new SeedEndpoints(services.GetRequiredService<MnistService>(), options, logger);
        group.MapPost("/predict", seeds.PredictUploadAsync).DisableAntiforgery();
        group.MapGet("/predict/{id}", seeds.PredictSampleAsync);
        group.MapMethodNotAllowed("/predict/{id}", HttpMethods.Get);
        group.MapGet("/health", seeds.HealthAsync);
        group.MapGet("/healthz", seeds.HealthAsync);

        var image = new TestSampleImageEndpoint(services.GetRequiredService<TestSampleSet>(), logger);
        group.MapGet("/v1/test-samples/{id}/image.png", image.HandleAsync);

        var page = new WebPageAssets(logger);
        group.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], page.ServeAsync);
        foreach (var path in page.Paths)
        {
            group.MapMethods(path, [HttpMethods.Get, HttpMethods.Head], page.ServeAsync);
        }

        return group;
    }

    private static bool IsOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && !origin.EndsWith('/');
}
