using RouteLLM.MLNet.Scoring;

namespace RouteLLM.MLNet.Tests.Scoring;

public sealed class ThresholdCalibratorTests
{
    [Theory]
    // numpy.quantile([0.1, 0.4, 0.2, 0.8, 0.5], q): sorted 0.1 0.2 0.4 0.5 0.8, position q*4.
    [InlineData(0.0, 0.1)]
    [InlineData(1.0, 0.8)]
    [InlineData(0.5, 0.4)]
    [InlineData(0.3, 0.24)] // position 1.2: 0.2 + 0.2*(0.4-0.2)
    [InlineData(0.9, 0.68)] // position 3.6: 0.5 + 0.6*(0.8-0.5)
    public void Quantile_interpolates_linearly_like_numpy(double q, double expected) =>
        Assert.Equal(expected, ThresholdCalibrator.Quantile([0.1f, 0.4f, 0.2f, 0.8f, 0.5f], q), 6);

    [Fact]
    public void Threshold_for_share_sends_that_share_to_strong()
    {
        var scores = Enumerable.Range(0, 1000).Select(i => i / 1000f).ToArray();
        var threshold = ThresholdCalibrator.ForStrongShare(scores, 0.25);
        Assert.InRange(scores.Count(s => s >= threshold), 249, 251);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdCalibrator.ForStrongShare([0.5f], 1.5));
        Assert.Throws<ArgumentException>(() => ThresholdCalibrator.ForStrongShare([], 0.5));
    }
}
