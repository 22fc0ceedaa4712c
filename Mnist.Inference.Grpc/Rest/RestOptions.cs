using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>Settings of the HTTP side (REST, original services' routes, web page), bound from configuration.</summary>
public sealed class RestOptions
{
    /// <summary>Largest multipart upload on <c>POST /predict</c>: the 4 MiB image limit of gRPC plus the form around it.</summary>
    public const long DefaultMaxUploadSize = 4L * 1024 * 1024 + 64 * 1024;

    /// <summary>Largest JSON body of the transcoded API: a 4 MiB image in base64 (4/3 of it) with room to spare.</summary>
    public const long MaxJsonBodySize = 6L * 1024 * 1024;

    /// <summary>
    /// Comma-separated origins allowed to call the API from other sites (e.g. <c>https://a.example,https://b.example</c>).
    /// Empty (the default) sends no CORS headers: the page is served from the same origin and needs none.
    /// </summary>
    [ConfigurationKeyName("CORS_ORIGINS")]
    public string CorsOrigins { get; set; } = "";

    /// <summary>Largest <c>multipart/form-data</c> body accepted by <c>POST /predict</c>, in bytes.</summary>
    [ConfigurationKeyName("MAX_UPLOAD_BYTES")]
    [Range(1, long.MaxValue, ErrorMessage = "MAX_UPLOAD_BYTES must be a positive number of bytes.")]
    public long MaxUploadSize { get; set; } = DefaultMaxUploadSize;

    /// <summary>The OpenAPI document at /swagger/v1/swagger.json and Swagger UI at /swagger/.</summary>
    [ConfigurationKeyName("OPENAPI_ENABLED")]
    public bool OpenApiEnabled { get; set; } = true;

    internal string[] CorsOriginList =>
        CorsOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
