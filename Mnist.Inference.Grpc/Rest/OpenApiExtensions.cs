using Mnist.Inference.Grpc.Hosting;
using Microsoft.OpenApi.Models;

using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Routing;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// The OpenAPI document of the transcoded REST API, generated from the same <c>google.api.http</c> annotations and the
/// proto's comments (Microsoft.AspNetCore.Grpc.Swagger), at <c>/swagger/v1/swagger.json</c>, with a browsable page at
/// <c>/swagger/</c>. HTTP port only.
/// </summary>
internal static class OpenApiExtensions
{
    private const string DocumentPath = "/swagger/v1/swagger.json";

    public static IServiceCollection AddMnistOpenApi(this IServiceCollection services)
    {
        services.AddGrpcSwagger();
        services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Mnist",
                Version = "v1",
                Description = "Classifies 28x28 handwritten digits. Errors are {\"code\", \"message\", \"details\"} with the gRPC code.",
            });
            // Full names: HealthResponse.Status and google.rpc.Status would both be "Status".
            swagger.CustomSchemaIds(type => type.FullName!.Replace("+Types+", ".", StringComparison.Ordinal));
            var comments = Path.Combine(AppContext.BaseDirectory, "Mnist.Contracts.xml");
            if (File.Exists(comments))
            {
                swagger.IncludeXmlComments(comments);
                swagger.IncludeGrpcXmlComments(comments, includeControllerXmlComments: true);
            }
        });
        return services;
    }

    public static void MapMnistOpenApi(this WebApplication app, int httpPort)
    {
        // Documentation of the public API, no data: open when it is on (the manifests turn it off).
        app.MapSwagger().RequireLocalPort(httpPort).AllowWithoutKey();
        app.UseWhen(context => context.Connection.LocalPort == httpPort,
            branch => branch.UseSwaggerUI(ui => ui.SwaggerEndpoint(DocumentPath, "Mnist v1")));
    }
}
