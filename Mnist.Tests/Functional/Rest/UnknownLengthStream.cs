namespace Mnist.Tests.Functional.Rest;

/// <summary>A readable stream that does not tell its length, so HttpClient sends it chunked.</summary>
internal sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
{
    public override bool CanSeek => false;
}
