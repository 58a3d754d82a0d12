using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace MeiLing.Bench.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection for an event loop: a non-blocking socket that sends requests
/// encoded once beforehand and gathers each answer, as bytes arrive, until the whole of it (Content-Length
/// or chunked) is there, keeping only the status. The open-loop study runs beside the system it measures
/// on the same cores: HttpClient spent 0.7 of a core at 8,000 req/s there and stalled when its thread
/// pool fell behind; this costs a send and a receive per request, like wrk.
/// </summary>
public sealed class RawHttpConnection : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private byte[] buffer = new byte[16 * 1024];
    private int filled;

    private RawHttpConnection(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static RawHttpConnection Open(Uri server)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(server.Host, server.Port);
            socket.Blocking = false;
            return new RawHttpConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A GET of <paramref name="pathAndQuery"/>, with a bearer token when given, as bytes on the wire.</summary>
    public static byte[] EncodeGet(Uri server, string pathAndQuery, string? bearer) =>
        Encoding.ASCII.GetBytes(
            $"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Authority}\r\n"
            + (bearer is null ? string.Empty : $"Authorization: Bearer {bearer}\r\n")
            + "\r\n");

    public void Send(ReadOnlySpan<byte> request)
    {
        while (!request.IsEmpty)
        {
            var sent = Socket.Send(request, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                Socket.Poll(TimeSpan.FromSeconds(1), SelectMode.SelectWrite);
            }
            else if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            request = request[sent..];
        }
    }

    /// <summary>
    /// Takes what has arrived; true, with the status, once a whole answer is in (the bytes after it stay
    /// for the next one). Throws <see cref="IOException"/> when the server closed the connection.
    /// </summary>
    public bool TryReceive(out int status)
    {
        if (filled == buffer.Length)
        {
            Array.Resize(ref buffer, buffer.Length * 2);
        }

        var read = Socket.Receive(buffer.AsSpan(filled), SocketFlags.None, out var error);
        if (error is not (SocketError.Success or SocketError.WouldBlock))
        {
            throw new SocketException((int)error);
        }

        if (error == SocketError.Success && read == 0)
        {
            throw new IOException("the server closed the connection");
        }

        filled += read;
        status = 0;
        var end = AnswerEnd(out status);
        if (end < 0)
        {
            return false;
        }

        buffer.AsSpan(end, filled - end).CopyTo(buffer);
        filled -= end;
        return true;
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>Where the first answer in the buffer ends, or -1 while part of it is still to come.</summary>
    private int AnswerEnd(out int status)
    {
        status = 0;
        var headerLength = buffer.AsSpan(0, filled).IndexOf(HeaderEnd);
        if (headerLength < 0)
        {
            return -1;
        }

        var headers = Encoding.ASCII.GetString(buffer, 0, headerLength);
        status = int.Parse(headers.AsSpan(9, 3), provider: null);
        var bodyStart = headerLength + HeaderEnd.Length;
        var end = headers.Contains("\r\nTransfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)
            ? ChunkedBodyEnd(bodyStart)
            : bodyStart + ContentLength(headers);
        return end >= 0 && end <= filled ? end : -1;
    }

    private int ChunkedBodyEnd(int position)
    {
        while (position < filled)
        {
            var lineEnd = buffer.AsSpan(position, filled - position).IndexOf(Crlf);
            if (lineEnd < 0)
            {
                return -1;
            }

            var sizeText = buffer.AsSpan(position, lineEnd);
            var extension = sizeText.IndexOf((byte)';');
            if (!Utf8Parser.TryParse(extension < 0 ? sizeText : sizeText[..extension], out int size, out _, 'x'))
            {
                throw new InvalidDataException("bad chunk size");
            }

            // The chunk, then its CRLF; the last (empty) chunk is followed by the CRLF ending the trailers.
            position += lineEnd + Crlf.Length + size + Crlf.Length;
            if (size == 0)
            {
                return position;
            }
        }

        return -1;
    }

    private static int ContentLength(string headers)
    {
        const string Name = "\r\nContent-Length:";
        var at = headers.IndexOf(Name, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return 0;
        }

        var value = headers.AsSpan(at + Name.Length);
        var end = value.IndexOf('\r');
        return int.Parse(end < 0 ? value : value[..end], provider: null);
    }
}
