using System.Reflection;
using System.Text.RegularExpressions;
using NUnit.Framework.Interfaces;

namespace Mnist.Tests.Unit.Conventions;

/// <summary>
/// Every test sits in the folder of its kind and carries that kind as its only NUnit category, so that
/// <c>--filter TestCategory=Unit</c> (or any other kind) selects exactly that folder.
/// </summary>
[Category("Unit")]
public partial class TestKindTests
{
    private static readonly string[] Kinds = ["Unit", "Functional", "Process", "Interop", "Browser", "Deployment"];

    // A namespace Mnist.Tests.Process would hide System.Diagnostics.Process from every test namespace.
    private static string NamespaceSegment(string kind) => kind == "Process" ? "Processes" : kind;

    [Test]
    public void Fixtures_EveryOne_HasExactlyTheCategoryOfItsKindFolder()
    {
        var fixtures = typeof(TestKindTests).Assembly.GetTypes().Where(IsFixture).ToList();
        var wrong = new List<string>();
        foreach (var fixture in fixtures)
        {
            var segment = fixture.Namespace?.Split('.') is ["Mnist", "Tests", var s, ..] ? s : "(none)";
            var kind = Kinds.SingleOrDefault(k => NamespaceSegment(k) == segment);
            var categories = CategoriesOf(fixture)
                .Concat(fixture.GetMethods().SelectMany(CategoriesOf))
                .Distinct().ToList();
            if (kind is null || categories.Count != 1 || categories[0] != kind)
            {
                wrong.Add($"{fixture.FullName}: [{string.Join(", ", categories)}]");
            }
        }

        Assert.That(fixtures, Has.Count.GreaterThan(50));
        Assert.That(wrong, Is.Empty, "each fixture's only category must be the kind its namespace names");
    }

    [Test]
    public void SourceFiles_EveryOneUnderAKindFolder_DeclaresTheNamespaceOfItsFolder()
    {
        var project = Path.Combine(RepoPaths.Root, "Mnist.Tests");
        var wrong = new List<string>();
        foreach (var kind in Kinds)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(project, kind), "*.cs", SearchOption.AllDirectories))
            {
                var area = Path.GetRelativePath(Path.Combine(project, kind), Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.');
                var expected = $"Mnist.Tests.{NamespaceSegment(kind)}" + (area == "." ? "" : $".{area}");
                var declared = NamespaceLine().Match(File.ReadAllText(file)).Groups[1].Value;
                if (declared != expected)
                {
                    wrong.Add($"{Path.GetRelativePath(project, file)}: {declared}");
                }
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    private static bool IsFixture(Type type) =>
        type is { IsClass: true, IsAbstract: false } && type.GetMethods().Any(m => m.GetCustomAttributes().Any(a => a is ITestBuilder or ISimpleTestBuilder));

    private static IEnumerable<string> CategoriesOf(MemberInfo member) =>
        member.GetCustomAttributes<CategoryAttribute>(inherit: true).Select(c => c.Name);

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();
}
