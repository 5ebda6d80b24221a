using Containerize.Engine.Diagnostics;
using Microsoft.Build.Utilities;

namespace Containerize.Tasks;

/// <summary>
/// Runs a task body and turns failures into MSBuild errors: user mistakes as their code and
/// message at their file position, cancellation quietly, and anything else as an internal error.
/// </summary>
internal static class TaskErrors
{
    public const string InternalError = "CTZ9999";

    public static bool Run(TaskLoggingHelper log, Action body, CancellationToken cancellation)
    {
        try
        {
            body();
            return !log.HasLoggedErrors;
        }
        catch (ContainerizeException e)
        {
            var at = e.Location;
            log.LogError(null, e.Code, null, at?.File, at?.Line ?? 0, at?.Column ?? 0, 0, 0, e.Message);
            return false;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, "The image build was cancelled.");
            return false;
        }
        catch (Exception e)
        {
            log.LogError(null, InternalError, null, null, 0, 0, 0, 0,
                $"Containerize failed unexpectedly. This is a bug; please report it with this message: {e}");
            return false;
        }
    }
}
