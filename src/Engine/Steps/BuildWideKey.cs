using System.Globalization;
using Containerize.Engine.IO.Native;

namespace Containerize.Engine.Steps;

/// <summary>
/// What changes layers build-wide and so enters every key: SOURCE_DATE_EPOCH and whether files can
/// be given their owners (root).
/// </summary>
internal static class BuildWideKey
{
    public static string For(DateTimeOffset? sourceDateEpoch) => string.Create(CultureInfo.InvariantCulture,
        $"epoch={sourceDateEpoch?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "none"} owners={(LibC.IsRoot ? "kept" : "mapped")}");
}
