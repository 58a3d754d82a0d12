using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace MeiLing.Api.Problems;

/// <summary>
/// Kestrel refuses a request it cannot parse (a <c>%00</c> in the path, a malformed request line or
/// header, a header block too large) with a bodyless 4xx before any middleware runs, and offers no hook
/// to change it. This connection middleware, the only layer below Kestrel's HTTP parser, watches what
/// Kestrel writes and replaces exactly such a response with problem+json (the contract: every error
/// body is problem+json). Everything else passes through untouched.
/// </summary>
public static class ServerRejections
{
    public static void UseProblemJsonForServerRejections(this KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen => listen.Use(next => connection =>
        {
            connection.Transport = new RewritingPipe(connection.Transport);
            return next(connection);
        }));

    private sealed class RewritingPipe(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output { get; } = new RejectionRewritingWriter(inner.Output);
    }
}
