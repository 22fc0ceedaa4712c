using Microsoft.OpenApi.Models;


namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// The OpenAPI document of the transcoded REST API, generated from the same <c>google.api.http</c> annotations and the
/// proto's comments (Microsoft.AspNetCore.Grpc.Swagger), at <c>/swagger/v1/swagger.json</c>, with a browsable page at
/// <c>/swagger/</c>. HTTP port only.
/// </summary>
public static class OpenApiExtensions
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

    /// <summary>The browsable page at <c>/swagger/</c>, on the HTTP port only.</summary>
    public static IApplicationBuilder UseSwaggerPage(this IApplicationBuilder app, int httpPort) =>
        app.UseWhen(context => context.Connection.LocalPort == httpPort,
            branch => branch.UseSwaggerUI(ui => ui.SwaggerEndpoint(DocumentPath, "Mnist v1")));
}
