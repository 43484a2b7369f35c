using RouteLLM.MLNet.Routers.Difficulty;

namespace RouteLLM.MLNet.Tests.Routers.Difficulty;

public sealed class AnswerOptionsTests
{
    private const string Question = "Megan picked up some olive oil for Felicia because _ loved to cook but hated to eat.";

    [Fact]
    public void Reads_the_last_run_of_lettered_options_in_order()
    {
        var fewShot = $"Solved example.\nA) one\nB) two\nAnswer:\nA\n\n{Question}\nA) Felicia\nB) Megan\nPrint only a single choice.\nAnswer:";
        var lastBlock = $"{Question}\nA) Felicia\nB) Megan\nAnswer:";
        var options = AnswerOptions.Fingerprints(fewShot);
        Assert.Equal(2, options.Length);
        Assert.Equal(AnswerOptions.Fingerprints(lastBlock), options);
        Assert.Equal(AnswerOptions.Fingerprints("(A) Felicia\n(B) Megan"), options);
        Assert.All(options, o => Assert.Matches("^[0-9a-f]{16}$", o));
        Assert.NotEqual(options[0], options[1]);
        Assert.Equal(4, AnswerOptions.Fingerprints("Which?\nA. sun\nB. moon\nC: stars\nD) sky\nAnswer:").Length);
    }

    [Theory]
    [InlineData("Write a function to remove all elements from a given list present in another list.")]
    [InlineData("Only one option.\nA) alone\nAnswer:")]
    [InlineData("Letters out of turn.\nA) first\nC) third\nAnswer:")]
    [InlineData("Not at the start of a line: A) first B) second")]
    public void A_prompt_without_a_run_of_lettered_options_has_none(string prompt) =>
        Assert.Empty(AnswerOptions.Fingerprints(prompt));

    [Fact]
    public void Twins_align_by_the_order_of_their_options()
    {
        var sameOrder = AnswerOptions.Fingerprints($"{Question}\nA) Felicia\nB) Megan");
        var twinSameOrder = AnswerOptions.Fingerprints("Megan picked up some olive oil for Felicia because _ hated to cook but loved to eat.\nA) Felicia\nB) Megan");
        var twinSwapped = AnswerOptions.Fingerprints("Megan picked up some olive oil for Felicia because _ hated to cook but loved to eat.\nA) Megan\nB) Felicia");
        var other = AnswerOptions.Fingerprints("The drink was rich in caffeine and low in sugar because the _ was not enough.\nA) caffeine\nB) sugar");
        Assert.Equal(1, AnswerOptions.Alignment(sameOrder, twinSameOrder));
        Assert.Equal(-1, AnswerOptions.Alignment(sameOrder, twinSwapped));
        Assert.Equal(0, AnswerOptions.Alignment(sameOrder, other));
        Assert.Equal(0, AnswerOptions.Alignment(sameOrder, []));
        Assert.Equal(0, AnswerOptions.Alignment([], []));
    }
}
