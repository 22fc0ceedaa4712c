using System.Security.Cryptography.X509Certificates;

namespace Mnist.Tests;

/// <summary>An HTTP handler that trusts only the test CA (and checks the name), optionally with a client certificate.</summary>
internal sealed class TestCertificatesHandler : DelegatingHandler
{
    public TestCertificatesHandler(TestCertificates pki, Action<X509Certificate2>? seen = null, X509Certificate2? client = null)
    {
        var sockets = new SocketsHttpHandler();
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is not X509Certificate2 server || (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(pki.Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            seen?.Invoke(server);
            return chain.Build(server);
        };
        if (client is not null)
        {
            sockets.SslOptions.ClientCertificates = [client];
        }

        InnerHandler = sockets;
    }
}
