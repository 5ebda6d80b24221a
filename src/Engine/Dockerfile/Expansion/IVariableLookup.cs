namespace Containerize.Engine.Dockerfile.Expansion;

/// <summary>Where word expansion finds variable values (build args, ENV, predefined args).</summary>
public interface IVariableLookup
{
    /// <summary>True when <paramref name="name"/> is set, even to the empty string.</summary>
    bool TryGet(string name, out string value);
}
