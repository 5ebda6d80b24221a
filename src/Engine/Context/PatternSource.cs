using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Context;

/// <summary>
/// A pattern as read from a file or list, before it is compiled. <see cref="Location"/> points at
/// the pattern's first character; when <see cref="Verbatim"/> the text is exactly what the user
/// wrote from there, so an error inside it can point at the offending character.
/// </summary>
internal sealed record PatternSource(string Text, SourceLocation Location, bool Verbatim);
