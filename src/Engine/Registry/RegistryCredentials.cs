namespace Containerize.Engine.Registry;

/// <summary>A user name and password, or an identity (refresh) token, and where they were found.</summary>
internal sealed record RegistryCredentials(string? Username, string? Password, string? IdentityToken, string Source)
{
    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;

    public override string ToString() => $"credentials of '{Username}' from {Source}";
}
