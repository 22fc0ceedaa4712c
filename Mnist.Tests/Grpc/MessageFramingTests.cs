using System.IO.Pipelines;
using Grpc.Health.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

public class MessageFramingTests
{
    private static readonly MessageReadLimits Limits = new(1024, null, "request");

    [Test]
    public async Task ReadMessageAsync_ThreeMessagesFedOneByteAtATime_AllRead()
    {
        var pipe = new Pipe();
        var bytes = Framed("a", "", "ccc");
        var writing = Task.Run(async () =>
        {
            foreach (var b in bytes)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });

        var services = await ReadAllAsync(pipe.Reader);
        await writing.WaitAsync(GrpcTestServer.Timeout);

        Assert.That(services, Is.EqualTo(Names("a", "", "ccc")));
    }

    [Test]
    public async Task ReadMessageAsync_MessagesPackedInOneWrite_AllRead()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Framed("x", "y"));
        await pipe.Writer.CompleteAsync();

        Assert.That(await ReadAllAsync(pipe.Reader), Is.EqualTo(Names("x", "y")));
    }

    [Test]
    public async Task ReadMessageAsync_LengthOverLimit_ResourceExhaustedFromPrefixAlone()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0, 4, 1 });

        var error = Assert.ThrowsAsync<GrpcStatusException>(async () =>
            await MessageFraming.ReadMessageAsync(pipe.Reader, HealthCheckRequest.Parser, Limits, CancellationToken.None));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
    }

    [Test]
    public void WriteMessage_Message_BigEndianPrefixThenBytes()
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();

        MessageFraming.WriteMessage(writer, new HealthCheckRequest { Service = "ab" });

        Assert.That(writer.WrittenSpan.ToArray(), Is.EqualTo(new byte[] { 0, 0, 0, 0, 4, 0x0A, 2, (byte)'a', (byte)'b' }));
    }

    private static byte[] Framed(params string[] services)
    {
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var service in services)
        {
            MessageFraming.WriteMessage(writer, new HealthCheckRequest { Service = service });
        }

        return writer.WrittenSpan.ToArray();
    }

    private static async Task<List<string>> ReadAllAsync(PipeReader reader)
    {
        var services = new List<string>();
        while (await MessageFraming.ReadMessageAsync(reader, HealthCheckRequest.Parser, Limits, CancellationToken.None).AsTask().WaitAsync(GrpcTestServer.Timeout) is HealthCheckRequest message)
        {
            services.Add(message.Service);
        }

        return services;
    }

    private static string[] Names(params string[] names) => names;
}
