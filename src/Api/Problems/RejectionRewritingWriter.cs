using System.IO.Pipelines;

namespace MeiLing.Api.Problems;

/// <summary>
/// Passes a connection's output through, except a response Kestrel wrote on its own after refusing a
/// request (<see cref="ServerRejectionResponse"/>): its bytes are written into the buffer Kestrel was
/// handed and inspected before they are committed, so the replacement costs nothing on other responses.
/// </summary>
internal sealed class RejectionRewritingWriter(PipeWriter inner) : PipeWriter
{
    private Memory<byte> _handedOut;

    public override Memory<byte> GetMemory(int sizeHint = 0) => _handedOut = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes > 0 && bytes <= _handedOut.Length && ServerRejectionResponse.TryRewrite(_handedOut.Span[..bytes], out var problem))
        {
            // The refused response was never committed: the problem takes its place in the pipe.
            problem.CopyTo(inner.GetSpan(problem.Length));
            inner.Advance(problem.Length);
            return;
        }

        inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}
