namespace RouteLLM.FakeUpstream;

/// <summary>How the fake upstream answers requests for one model.</summary>
public enum UpstreamBehaviour
{
    /// <summary>A chat completion (or a stream of chunks) that says which model was asked.</summary>
    Answer,

    /// <summary>HTTP 500 with an OpenAI error body.</summary>
    Fail500,

    /// <summary>Never answers (until the caller gives up).</summary>
    Stall,

    /// <summary>Streams one chunk, then never sends another.</summary>
    StallMidStream,

    /// <summary>HTTP 400 whose message quotes the Authorization header it got, as some upstreams quote keys.</summary>
    BadRequestQuotingKey,

    /// <summary>HTTP 401 whose message quotes the Authorization header it got.</summary>
    UnauthorizedQuotingKey,

    /// <summary>HTTP 429 with <c>Retry-After: 7</c>, as a rate-limited API answers.</summary>
    RateLimited,

    /// <summary>Streams its chunks, then closes the stream without <c>data: [DONE]</c>.</summary>
    EndStreamWithoutDone,
}
