namespace RouteLLM.MLNet.Extensions.Labeling;

/// <summary>
/// Money reserved before a call and settled after it: a call starts only when what has been spent, what calls in
/// flight may still spend, and its own worst case all fit under the limit.
/// </summary>
internal sealed class SpendingLimit(decimal? maxUsd, decimal alreadySpent)
{
    private readonly Lock _lock = new();
    private decimal _spent = alreadySpent;
    private decimal _reserved;

    public decimal Spent
    {
        get
        {
            lock (_lock)
            {
                return _spent;
            }
        }
    }

    public bool TryReserve(decimal worstCase)
    {
        lock (_lock)
        {
            if (maxUsd is { } max && _spent + _reserved + worstCase > max)
            {
                return false;
            }

            _reserved += worstCase;
            return true;
        }
    }

    /// <summary>Releases a reservation, adding what the call really cost (zero when it failed unpaid).</summary>
    public void Settle(decimal reserved, decimal spent)
    {
        lock (_lock)
        {
            _reserved -= reserved;
            _spent += spent;
        }
    }
}
