using Mnist.Inference.Grpc.Configuration;
using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Mnist.Inference.Grpc.Tls;

/// <summary>Registers TLS (when <c>TLS_CERT_FILE</c> is set) and puts it on Kestrel's listeners.</summary>
public static class TlsHostingExtensions
{
    /// <returns>The bound settings, for the listeners.</returns>
    public static TlsOptions AddMnistTls(this WebApplicationBuilder builder)
    {
        var options = builder.AddValidatedOptions<TlsOptions>();
        builder.Services.AddSingleton<TlsCertificateStore>();
        if (options.Enabled)
        {
            builder.Services.AddHostedService<TlsFileWatcher>();
        }

        return options;
    }

    /// <summary>
    /// TLS on this listener when it is on, with ALPN offering what the listener speaks: h2 for gRPC, h2 and
    /// http/1.1 for REST.
    /// </summary>
    public static ListenOptions UseMnistTls(this ListenOptions listen, TlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return listen;
        }

        List<SslApplicationProtocol> protocols = listen.Protocols switch
        {
            HttpProtocols.Http2 => [SslApplicationProtocol.Http2],
            HttpProtocols.Http1 => [SslApplicationProtocol.Http11],
            _ => [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };
        var store = listen.ApplicationServices.GetRequiredService<TlsCertificateStore>();
        return listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(store.ServerOptions(protocols)),
        });
    }
}
