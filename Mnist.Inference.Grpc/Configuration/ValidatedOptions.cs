using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Configuration;

/// <summary>How every feature registers its options: bound from configuration, checked by their annotations at start.</summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from configuration (appsettings.json, the environment, the command line),
    /// validates it when the host starts, and returns the bound values for what must be decided while building
    /// (Kestrel's listeners, which services exist).
    /// </summary>
    public static TOptions AddValidatedOptions<TOptions>(this WebApplicationBuilder builder)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration).ValidateDataAnnotations().ValidateOnStart();
        return builder.Configuration.Get<TOptions>() ?? new TOptions();
    }

    /// <summary>As <see cref="AddValidatedOptions{TOptions}"/>, with checks the annotations cannot express.</summary>
    public static TOptions AddValidatedOptions<TOptions>(this WebApplicationBuilder builder, Func<TOptions, bool> validation, string failureMessage)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TOptions>().Bind(builder.Configuration).ValidateDataAnnotations()
            .Validate(validation, failureMessage).ValidateOnStart();
        return builder.Configuration.Get<TOptions>() ?? new TOptions();
    }
}
