namespace Mnist.Grpc.Transcoding;

/// <summary>Recursive descent over the grammar in http.proto; one instance per template.</summary>
internal sealed class HttpPathTemplateParser(string text)
{
    private readonly List<PathSegment> _segments = [];
    private readonly List<PathVariable> _variables = [];
    private int _position;

    public HttpPathTemplate Parse()
    {
        Expect('/');
        ParseSegments(variable: null);
        string? verb = null;
        if (Peek() == ':')
        {
            _position++;
            verb = ParseLiteral("a custom verb");
        }

        if (_position != text.Length)
        {
            throw Error($"unexpected '{text[_position]}'");
        }

        for (var i = 0; i < _segments.Count - 1; i++)
        {
            if (_segments[i].Kind == PathSegmentKind.Rest)
            {
                throw new FormatException($"Invalid path template '{text}': '**' may only be the last segment.");
            }
        }

        return new HttpPathTemplate(text, _segments, _variables, verb);
    }

    private void ParseSegments(PathVariable? variable)
    {
        ParseSegment(variable);
        while (Peek() == '/')
        {
            _position++;
            ParseSegment(variable);
        }
    }

    private void ParseSegment(PathVariable? variable)
    {
        switch (Peek())
        {
            case '*':
                _position++;
                var rest = Peek() == '*';
                _position += rest ? 1 : 0;
                _segments.Add(new PathSegment(rest ? PathSegmentKind.Rest : PathSegmentKind.Wildcard, "", variable));
                break;
            case '{' when variable is not null:
                throw Error("variables cannot nest");
            case '{':
                ParseVariable();
                break;
            default:
                _segments.Add(new PathSegment(PathSegmentKind.Literal, ParseLiteral("a segment"), variable));
                break;
        }
    }

    private void ParseVariable()
    {
        Expect('{');
        var fieldPath = new List<string> { ParseIdentifier() };
        while (Peek() == '.')
        {
            _position++;
            fieldPath.Add(ParseIdentifier());
        }

        var name = string.Join('.', fieldPath);
        if (_variables.Exists(v => v.Name == name))
        {
            throw Error($"the field '{name}' is bound twice");
        }

        var first = _segments.Count;
        var placeholder = new PathVariable(fieldPath, first, 0);
        if (Peek() == '=')
        {
            _position++;
            ParseSegments(placeholder);
        }
        else
        {
            _segments.Add(new PathSegment(PathSegmentKind.Wildcard, "", placeholder));
        }

        Expect('}');
        var count = _segments.Count - first;
        var multi = count > 1 || _segments[first].Kind != PathSegmentKind.Wildcard;
        var variable = placeholder with { SegmentCount = count, IsMultiSegment = multi };
        for (var i = first; i < _segments.Count; i++)
        {
            _segments[i] = _segments[i] with { Variable = variable };
        }

        _variables.Add(variable);
    }

    private string ParseIdentifier()
    {
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
        {
            _position++;
        }

        if (_position == start || char.IsAsciiDigit(text[start]))
        {
            throw Error("expected a field name (letters, digits, '_'; not starting with a digit)");
        }

        return text[start.._position];
    }

    private string ParseLiteral(string what)
    {
        var start = _position;
        while (_position < text.Length && !IsReserved(text[_position]))
        {
            _position++;
        }

        return _position > start ? text[start.._position] : throw Error($"expected {what}");
    }

    private static bool IsReserved(char c) => c is '/' or '{' or '}' or ':' or '*' or '=' or '?' or '#' || char.IsWhiteSpace(c);

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"expected '{c}'");
        }

        _position++;
    }

    private char? Peek() => _position < text.Length ? text[_position] : null;

    private FormatException Error(string what) =>
        new($"Invalid path template '{text}' at position {_position}: {what}.");
}
