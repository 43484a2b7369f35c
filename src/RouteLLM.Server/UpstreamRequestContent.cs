using System.Net;
using System.Net.Http.Headers;

namespace RouteLLM.Server;

/// <summary>
/// A chat completions body written straight to the upstream connection as it is sent (chunked), so that the
/// server never holds a second whole copy of a large request.
/// </summary>
internal sealed class UpstreamRequestContent : HttpContent
{
    private readonly ChatCompletionRequest _request;
    private readonly string _model;

    public UpstreamRequestContent(ChatCompletionRequest request, string model)
    {
        _request = request;
        _model = model;
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _request.WriteUpstreamBodyAsync(stream, _model, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
