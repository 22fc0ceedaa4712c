using System.IO.Pipelines;
using System.Net;
using System.Threading.Channels;
using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>The body of a duplex call: messages written by the caller, each flushed, until it completes the request.</summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly Channel<IMessage> _messages = Channel.CreateUnbounded<IMessage>(new UnboundedChannelOptions { SingleReader = true });

    public StreamingRequestContent() => Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);

    public ChannelWriter<IMessage> Writer => _messages.Writer;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        await foreach (var message in _messages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            MessageFraming.WriteMessage(writer, message);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
