using MeiLing.Api.Security;
using MeiLing.Grains;
using MeiLing.Grains.DataRights;
using MeiLing.Grains.Users;

namespace MeiLing.Api.Apis;

/// <summary>
/// Sends the access bundle as its parts arrive from the silo, JSON or the readable page, so the API holds one part
/// at a time, never the bundle (P4.4). The first part is asked for before anything is sent: a failure then is an
/// ordinary problem response. Once the 200 and a part of the bundle are on their way a failure cannot change the
/// status, so the connection is aborted: the client sees a body that ends early (an unterminated JSON document, a
/// reset or incomplete chunked response), never a complete-looking bundle with sections missing. The silo keeps an
/// enumeration nobody asks for its next part only so long (its response timeout, 30 s, to twice that): a client that
/// stops reading for longer loses its download the same way. The caller's session is asked again before each eighth part
/// is written (*reviewer*): a download begun with a session then signed out, or by an account then cancelled, went on to
/// its end, however long it took.
/// </summary>
internal sealed partial class ExportDownload(IAsyncEnumerable<ExportPart> parts, bool asPage) : IResult
{
    // At most this many parts arrive in one message from the silo: a part is at most 64 K characters.
    public const int PartsPerMessage = 8;

    public async Task ExecuteAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        await using var next = parts.WithBatchSize(PartsPerMessage).GetAsyncEnumerator(aborted);
        var more = await next.MoveNextAsync();

        var response = context.Response;
        if (asPage)
        {
            // The page styles itself inline and runs no script; every value in it is HTML-encoded.
            response.Headers.ContentSecurityPolicy = SecurityHeaders.StyledPagePolicy;
        }

        response.ContentType = asPage ? "text/html; charset=utf-8" : "application/json; charset=utf-8";
        await using var json = asPage ? null : new ExportJson(response.BodyWriter);
        ExportDocumentWriter document = json ?? (ExportDocumentWriter)new ExportPage(response.BodyWriter);
        var sent = 0;
        var session = context.Features.Get<UserSessionCheck>();
        var grains = context.RequestServices.GetRequiredService<IGrainFactory>();
        try
        {
            while (more)
            {
                document.Write(next.Current);
                await document.FlushAsync(aborted);
                sent++;
                more = await next.MoveNextAsync();
                if (session is not null && more && sent % PartsPerMessage == 0)
                {
                    await session.VerifyAsync(grains);
                }
            }

            document.Complete();
            await document.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: nothing is left to tell it.
        }
        catch (DomainException ended) when (ended.Code == SessionContext.EndedCode)
        {
            // Signed out (or the account closed) while the download ran: it stops here, short, as any cut-short download.
            LogSessionEnded(context.RequestServices.GetRequiredService<ILogger<ExportDownload>>(), sent);
            context.Abort();
        }
        catch (Exception exception)
        {
            LogAborted(context.RequestServices.GetRequiredService<ILogger<ExportDownload>>(), exception.GetType().Name, sent);
            context.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The access export's session ended after {PartsSent} parts: the download was aborted")]
    private static partial void LogSessionEnded(ILogger logger, int partsSent);

    // Only the exception's type: its message may carry the user's data.
    [LoggerMessage(Level = LogLevel.Error, Message = "The access export failed after {PartsSent} parts ({ExceptionType}): the download was aborted")]
    private static partial void LogAborted(ILogger logger, string exceptionType, int partsSent);
}
