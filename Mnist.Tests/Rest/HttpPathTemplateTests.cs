using Mnist.Grpc.Transcoding;

namespace Mnist.Tests.Rest;

public class HttpPathTemplateTests
{
    [Test]
    public void Parse_LiteralsAndVariable_FlattensSegmentsAndBindsField()
    {
        var template = HttpPathTemplate.Parse("/v1/test-samples/{id}");

        Assert.That(template.Segments.Select(s => s.ToString()), Is.EqualTo((string[])["v1", "test-samples", "*"]));
        Assert.That(template.Variables, Has.Count.EqualTo(1));
        Assert.That(template.Variables[0].Name, Is.EqualTo("id"));
        Assert.That(template.Variables[0].FirstSegment, Is.EqualTo(2));
        Assert.That(template.Variables[0].SegmentCount, Is.EqualTo(1));
        Assert.That(template.Variables[0].IsMultiSegment, Is.False);
        Assert.That(template.Segments[2].Variable, Is.EqualTo(template.Variables[0]));
        Assert.That(template.Verb, Is.Null);
    }

    [Test]
    public void Parse_MultiSegmentVariable_SpansItsSegments()
    {
        var template = HttpPathTemplate.Parse("/v1/{name=shelves/*/books/*}/pages");

        var name = template.Variables.Single();
        Assert.That(template.Segments.Select(s => s.ToString()), Is.EqualTo((string[])["v1", "shelves", "*", "books", "*", "pages"]));
        Assert.That((name.FirstSegment, name.SegmentCount, name.IsMultiSegment), Is.EqualTo((1, 4, true)));
        Assert.That(template.Segments[5].Variable, Is.Null);
        Assert.That(template.Segments.Skip(1).Take(4).All(s => s.Variable == name), Is.True);
    }

    [Test]
    public void Parse_NestedFieldPathAndVerb_SplitsPathAndKeepsVerb()
    {
        var template = HttpPathTemplate.Parse("/v1/shelves/{shelf.id}/books/{book.meta.id}:cancel");

        Assert.That(template.Variables.Select(v => v.FieldPath), Is.EqualTo((string[][])[["shelf", "id"], ["book", "meta", "id"]]));
        Assert.That(template.Verb, Is.EqualTo("cancel"));
    }

    [Test]
    public void Parse_DoubleWildcardLast_IsRestSegment()
    {
        var template = HttpPathTemplate.Parse("/v1/files/{name=**}");

        Assert.That(template.Segments[^1].Kind, Is.EqualTo(PathSegmentKind.Rest));
        Assert.That(template.Variables[0].IsMultiSegment, Is.True);
    }

    [Test]
    public void Parse_AnonymousWildcards_HaveNoVariable()
    {
        var template = HttpPathTemplate.Parse("/v1/*/x/**:get");

        Assert.That(template.Segments.Select(s => s.Kind), Is.EqualTo((PathSegmentKind[])[PathSegmentKind.Literal, PathSegmentKind.Wildcard, PathSegmentKind.Literal, PathSegmentKind.Rest]));
        Assert.That(template.Variables, Is.Empty);
        Assert.That(template.Verb, Is.EqualTo("get"));
    }

    [TestCase("", "expected '/'")]
    [TestCase("v1/predict", "expected '/'")]
    [TestCase("/", "expected a segment")]
    [TestCase("/v1//x", "expected a segment")]
    [TestCase("/v1/{id", "expected '}'")]
    [TestCase("/v1/{}", "expected a field name")]
    [TestCase("/v1/{1abc}", "expected a field name")]
    [TestCase("/v1/{a=b/{c}}", "variables cannot nest")]
    [TestCase("/v1/**/x", "'**' may only be the last segment")]
    [TestCase("/v1/{id}/{id}", "bound twice")]
    [TestCase("/v1/x:", "expected a custom verb")]
    [TestCase("/v1/x:a:b", "unexpected ':'")]
    [TestCase("/v1/x?y=1", "unexpected '?'")]
    public void Parse_Invalid_FormatExceptionSaysWhatWasExpected(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => HttpPathTemplate.Parse(text));

        Assert.That(error!.Message, Does.Contain(expected).And.Contain($"'{text}'"));
    }
}
