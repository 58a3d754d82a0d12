using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Storage;

namespace MeiLing.Grains.Platform;

/// <summary>
/// Turns what PostgreSQL, the grain storage or a timeout did to a grain call into the platform's own refusal
/// before the answer leaves the silo, so no storage exception crosses the wire (Npgsql's types are never
/// serialized) and callers, the API above all, know only <see cref="DomainException"/> kinds:
/// text PostgreSQL cannot store is <see cref="DomainErrorKind.Invalid"/> (only a client's value carries it),
/// any other failure of the database, the storage or a call in time is <see cref="DomainErrorKind.Unavailable"/>.
/// The original type is logged here, where it happened; the caller gets no message, SQL or data from it.
/// </summary>
public sealed partial class InfrastructureFailureFilter(ILogger<InfrastructureFailureFilter> logger) : IIncomingGrainCallFilter
{
    public const string UnavailableCode = "unavailable";
    public const string RefusedTextCode = "malformed-body";

    // A NUL in text, or a character outside the database's encoding: bad input that validation let through.
    private static readonly HashSet<string> TextRefusedStates = [PostgresErrorCodes.CharacterNotInRepertoire, PostgresErrorCodes.UntranslatableCharacter];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception failure) when (Classify(failure) is { } refusal)
        {
            LogTranslated(failure.GetType().Name, failure.GetBaseException().GetType().Name, context.InterfaceName, context.MethodName, refusal.Kind);
            if (IsWriteConflict(failure))
            {
                // P1.6, P4.1: Orleans deactivates a grain on a write conflict only when InconsistentStateException is the
                // call's final exception, and the refusal below replaces it: the activation kept its stale ETag (every
                // later write refused, 503 for ever while it stayed busy) and what it had changed in memory before the
                // write (uses counted, stock taken, details forgotten). Ended here, so the next call reads storage afresh.
                // No exception in the reason: Orleans answers the calls the deactivation catches with the reason's exception,
                // which then raced this refusal to the caller and carried the storage's own type across the wire.
                context.TargetContext.Deactivate(
                    new DeactivationReason(DeactivationReasonCode.ApplicationError, "A state write met a newer stored version."),
                    CancellationToken.None);
            }

            throw refusal;
        }
    }

    private static bool IsWriteConflict(Exception failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is InconsistentStateException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The refusal a failure stands for, or null when it is a refusal already or a bug (a 500 stays a 500).</summary>
    public static DomainException? Classify(Exception failure)
    {
        if (failure is DomainException)
        {
            return null;
        }

        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is PostgresException { SqlState: var state } && TextRefusedStates.Contains(state))
            {
                return DomainException.Invalid(RefusedTextCode, "The request could not be read: check the route parameters, the query and the JSON body.");
            }
        }

        for (var current = failure; current is not null; current = current.InnerException)
        {
            // InconsistentStateException: a write met a newer stored version (a retried write the database did
            // take, or a second activation); Invoke deactivates the grain, so a retry reads afresh.
            if (current is NpgsqlException or TimeoutException or InconsistentStateException or SiloUnavailableException)
            {
                return DomainException.Unavailable(UnavailableCode,
                    "The platform cannot complete this request right now; nothing was changed unless a later read shows it. Retry shortly.");
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{ExceptionType} (caused by {RootCause}) in {Interface}.{Method}: answered as {Kind}")]
    private partial void LogTranslated(string exceptionType, string rootCause, string @interface, string method, DomainErrorKind kind);
}
