using System.Collections;

namespace Mnist.Inference.Grpc.Access;

/// <summary>The log scope of an authenticated call: <c>Caller: NAME</c> (JSON logs get a <c>Caller</c> property).</summary>
internal sealed class CallerScope(string name) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new("Caller", name) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => 1;

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"Caller: {name}";
}
