using System.Reflection;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>
/// Sets a task's parameters from one item list, so the targets list them once for the task and for
/// the incremental build's hash: an item named by a parameter gives its metadata <c>Value</c> (a
/// string, a ';'-separated string array, or a bool); items with metadata <see cref="ParameterMetadata"/>
/// are the items of the item parameter it names, their other metadata kept.
/// </summary>
internal static class TaskParameterList
{
    public const string ParameterMetadata = "ContainerizeParameter";

    public static void Apply(object task, IEnumerable<ITaskItem> parameters)
    {
        var items = new Dictionary<PropertyInfo, List<ITaskItem>>();
        foreach (var parameter in parameters)
        {
            string itemParameter = parameter.GetMetadata(ParameterMetadata);
            var property = Find(task, itemParameter.Length > 0 ? itemParameter : parameter.ItemSpec);
            if (property.PropertyType == typeof(ITaskItem[]))
            {
                var item = new TaskItem(parameter);
                item.RemoveMetadata(ParameterMetadata);
                if (!items.TryGetValue(property, out var list)) items[property] = list = [];
                list.Add(item);
                continue;
            }
            string value = parameter.GetMetadata("Value");
            property.SetValue(task, property.PropertyType == typeof(string[])
                ? value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : property.PropertyType == typeof(bool) ? string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase) : value);
        }
        foreach (var (property, list) in items) property.SetValue(task, list.ToArray());
    }

    /// <summary>A settable input parameter; any other name is a mistake in the targets, not the user's.</summary>
    private static PropertyInfo Find(object task, string name) =>
        task.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { SetMethod.IsPublic: true } property
            && property.GetCustomAttribute<OutputAttribute>() is null
            ? property
            : throw new InvalidOperationException($"'{name}' is not an input parameter of {task.GetType().Name}.");
}
