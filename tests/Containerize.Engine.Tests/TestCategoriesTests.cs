using System.Reflection;

namespace Containerize.Engine.Tests;

/// <summary>
/// Every test class says what it needs with one category, so the quick run
/// (<c>--filter TestCategory=Unit</c>) and the category runs together cover every test.
/// </summary>
[TestCategory("Unit")]
[TestClass]
public sealed class TestCategoriesTests
{
    private static readonly string[] Known = ["Unit", "Stress", "Namespaces", "Registry", "Debootstrap"];

    [TestMethod]
    public void EveryTestClassHasExactlyOneKnownCategory()
    {
        var wrong = typeof(TestCategoriesTests).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<TestClassAttribute>() is not null && t.GetMethods().Any(m => m.GetCustomAttribute<TestMethodAttribute>() is not null))
            .Select(t => (Type: t, Categories: t.GetCustomAttributes<TestCategoryAttribute>().SelectMany(c => c.TestCategories).ToList()))
            .Where(c => c.Categories.Count != 1 || !Known.Contains(c.Categories[0]))
            .Select(c => $"{c.Type.FullName}: [{string.Join(", ", c.Categories)}]")
            .ToList();

        Assert.IsEmpty(wrong, "give each test class one of " + string.Join(", ", Known) + ":\n" + string.Join("\n", wrong));
    }
}
