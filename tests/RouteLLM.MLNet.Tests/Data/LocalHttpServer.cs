using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RouteLLM.MLNet.Tests.Data;

/// <summary>What <see cref="LocalHttpServer"/> answers to one GET.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">The body; its full length is announced in Content-Length.</param>
/// <param name="Truncate">Send only the first half of the body, then close the connection.</param>
/// <param name="Hang">Never answer.</param>
internal sealed record Reply(int Status, byte[] Body, bool Truncate = false, bool Hang = false)
{
    public static Reply NotFound { get; } = new(404, "not found"u8.ToArray());
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (a free port), written on a raw socket so that it can also misbehave:
/// answer 404, cut a body short, or never answer.
/// </summary>
internal sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, Reply> _reply;
    private readonly Task _accepting;

    public LocalHttpServer(Func<string, Reply> reply)
    {
        _reply = reply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The server's root URL.</summary>
    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>The paths requested so far (without the leading '/').</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Serves the files under <paramref name="root"/>; other paths get 404.</summary>
    public static LocalHttpServer ServeFolder(string root, Func<string, Reply?>? misbehave = null) => new(path =>
        misbehave?.Invoke(path) ?? (File.Exists(Path.Combine(root, path)) ? new Reply(200, File.ReadAllBytes(Path.Combine(root, path))) : Reply.NotFound));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync() ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
            {
            }

            var path = Uri.UnescapeDataString(requestLine.Split(' ')[1].TrimStart('/'));
            Requests.Enqueue(path);
            var reply = _reply(path);
            if (reply.Hang)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            var head = $"HTTP/1.1 {reply.Status} {(reply.Status == 200 ? "OK" : "Not Found")}\r\nContent-Length: {reply.Body.Length}\r\n" +
                "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(reply.Truncate ? reply.Body.AsMemory(0, reply.Body.Length / 2) : reply.Body);
            await stream.FlushAsync();
        }
    }
}
