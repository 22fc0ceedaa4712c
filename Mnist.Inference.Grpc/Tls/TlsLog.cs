namespace Mnist.Inference.Grpc.Tls;

internal static partial class TlsLog
{
    [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "TLS certificate {Subject} ({Thumbprint}, valid until {NotAfter:u}) in force; client CAs: {ClientAuthorities}")]
    public static partial void CertificateLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter, int clientAuthorities);

    [LoggerMessage(EventId = 712, Level = LogLevel.Error, Message = "Cannot read the TLS files ({Reason}); the certificate in force stays")]
    public static partial void FilesUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 713, Level = LogLevel.Error, Message = "The TLS files do not hold a certificate and its key ({Reason}); the certificate in force stays")]
    public static partial void FilesInvalid(ILogger logger, string reason);
}
