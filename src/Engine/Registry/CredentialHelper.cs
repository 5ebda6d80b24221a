using System.Diagnostics;
using System.Text.Json;
using Containerize.Engine.Diagnostics;

namespace Containerize.Engine.Registry;

/// <summary>
/// Runs a Docker credential helper, <c>docker-credential-&lt;name&gt; get</c>, with the server URL
/// on stdin; it answers <c>{"ServerURL":..,"Username":..,"Secret":..}</c>, where the user
/// <c>&lt;token&gt;</c> means the secret is an identity token.
/// </summary>
internal sealed class CredentialHelper(Func<string, string?> getEnvironmentVariable, string? homeDirectory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The helper's executable on the configured PATH, or null.</summary>
    public string? Find(string helperName)
    {
        string fileName = "docker-credential-" + helperName;
        foreach (string dir in (getEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, fileName);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe")) return candidate + ".exe";
        }
        return null;
    }

    /// <summary>The helper's credentials for <paramref name="serverUrl"/>; null when it has none.</summary>
    public async Task<RegistryCredentials?> GetAsync(string helperName, string serverUrl, CancellationToken cancellationToken)
    {
        string executable = Find(helperName) ?? throw new ContainerizeException(ErrorCodes.CredentialHelperFailed,
            $"The credential helper 'docker-credential-{helperName}' configured for {serverUrl} is not on PATH. Install it, or remove it from the Docker config.json (credHelpers/credsStore).");
        var start = new ProcessStartInfo(executable, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (getEnvironmentVariable("PATH") is { } path) start.Environment["PATH"] = path;
        if (homeDirectory is not null) start.Environment["HOME"] = homeDirectory;

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new ContainerizeException(ErrorCodes.CredentialHelperFailed, $"The credential helper '{executable}' cannot be started: {e.Message}", e);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // the helper exited without reading its input; its exit code and output tell why
            }
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false);
            string error = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                string message = (output + " " + error).Trim();
                if (message.Contains("credentials not found", StringComparison.OrdinalIgnoreCase)) return null;
                throw new ContainerizeException(ErrorCodes.CredentialHelperFailed,
                    $"The credential helper 'docker-credential-{helperName}' failed for {serverUrl} (exit code {process.ExitCode}): {message}");
            }
            return Parse(output, helperName, serverUrl);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw new ContainerizeException(ErrorCodes.CredentialHelperFailed,
                $"The credential helper 'docker-credential-{helperName}' did not answer within {Timeout.TotalSeconds:0} seconds for {serverUrl}.");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    private static RegistryCredentials? Parse(string output, string helperName, string serverUrl)
    {
        try
        {
            using var doc = JsonDocument.Parse(output);
            string? user = doc.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
            string? secret = doc.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret)) return null;
            string source = $"credential helper docker-credential-{helperName}";
            return user == "<token>"
                ? new RegistryCredentials(null, null, secret, source)
                : new RegistryCredentials(user, secret, null, source);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ContainerizeException(ErrorCodes.CredentialHelperFailed,
                $"The credential helper 'docker-credential-{helperName}' answered for {serverUrl} with something that is not its JSON format: {e.Message}", e);
        }
    }

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } catch (System.ComponentModel.Win32Exception) { }
    }
}
