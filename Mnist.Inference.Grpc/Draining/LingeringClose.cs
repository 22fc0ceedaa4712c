using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>
/// Kestrel connection middleware that closes a connection only after its client has closed its side. Kestrel's
/// socket transport closes the socket as soon as HTTP/2 is done with it; when the client is still sending then (a
/// call it began before the GOAWAY reached it, easily so on a starved CPU), the kernel answers with a reset, and the
/// reset makes the client's kernel drop the answers it had already received: the client sees its calls fail with
/// INTERNAL ("the HTTP/2 server closed the connection") instead of their responses. Here the transport's completion
/// waits, for a bounded time, while whatever the client still sends is read and discarded.
/// </summary>
internal static class LingeringClose
{
    /// <summary>How long a closing connection waits for its client to close: a few round trips on a starved machine.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
    {
        var transport = connection.Transport;
        var deferred = new DeferredCompletionPipe(transport);
        connection.Transport = deferred;
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
            await DiscardUntilClosedAsync(transport.Input, deferred.InputError is not null);
            await transport.Input.CompleteAsync(deferred.InputError);
            await transport.Output.CompleteAsync(deferred.OutputError);
        }
    };

    private static async Task DiscardUntilClosedAsync(PipeReader input, bool failed)
    {
        if (failed)
        {
            return;
        }

        using var linger = new CancellationTokenSource(Linger);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(linger.Token);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException)
        {
            // The client did not close in time, or the connection is gone already: close it now.
        }
    }

    /// <summary>The connection's pipes as Kestrel's HTTP/2 sees them, except that completing them is left to the middleware.</summary>
    private sealed class DeferredCompletionPipe(IDuplexPipe inner) : IDuplexPipe
    {
        private readonly DeferredReader _input = new(inner.Input);
        private readonly DeferredWriter _output = new(inner.Output);

        public PipeReader Input => _input;

        public PipeWriter Output => _output;

        public Exception? InputError => _input.Error;

        public Exception? OutputError => _output.Error;
    }

    private sealed class DeferredReader(PipeReader inner) : PipeReader
    {
        public Exception? Error { get; private set; }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => Error = exception;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
    }

    private sealed class DeferredWriter(PipeWriter inner) : PipeWriter
    {
        public Exception? Error { get; private set; }

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => Error = exception;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
