using System.Text.Json;

namespace RouteLLM.MLNet.Data;

/// <summary>
/// MT-Bench as RouteLLM evaluates it (<c>routellm/evals/benchmarks.py</c>, class <c>MTBench</c>): each question of
/// <c>question.jsonl</c> is routed on its first turn, and a model's quality on it is the mean GPT-4 grade of its
/// answers over both turns in <c>judgements.jsonl</c>. Negative grades (the judge's "no verdict") are skipped and
/// counted; a question is contaminated when any of its turns is on RouteLLM's list.
/// </summary>
internal static class MtBenchReader
{
    private sealed record Question(long Line, long Id, string[] Turns);

    public static BenchmarkData Load(DataLayout layout, string strongModel, string weakModel, DataReadOptions options)
    {
        var skipped = new SkippedRows();
        var questions = ReadQuestions(layout.MtBenchQuestions, new BadRows(layout.MtBenchQuestions, options.SkipBadRows, skipped));
        var ids = questions.Select(q => q.Id).ToHashSet();
        var grades = ReadGrades(layout.MtBenchJudgements, ids, strongModel, weakModel, options, skipped);

        var bad = new BadRows(layout.MtBenchQuestions, options.SkipBadRows, skipped);
        var prompts = new List<BenchmarkPrompt>();
        foreach (var question in questions)
        {
            if (Mean(grades, question, strongModel, true, bad) is { } strong && Mean(grades, question, weakModel, false, bad) is { } weak)
            {
                prompts.Add(new BenchmarkPrompt(question.Turns[0], strong, weak));
            }
        }

        var listed = BenchmarkLoader.ReadContaminatedPrompts(layout.MtBenchContaminatedPrompts, options, skipped);
        var contaminated = questions.Where(q => q.Turns.Any(listed.Contains)).Select(q => q.Turns[0]).ToHashSet(StringComparer.Ordinal);
        return new BenchmarkData(BenchmarkLoader.MtBench, options.Aliases.Canonical(strongModel), options.Aliases.Canonical(weakModel),
            prompts, contaminated, skipped);
    }

    private static List<Question> ReadQuestions(string file, BadRows bad)
    {
        var questions = new List<Question>();
        var seen = new HashSet<long>();
        foreach (var (line, row) in JsonLines.Read(file, bad))
        {
            if (!JsonLines.TryGetInt64(row, "question_id", line, bad, out var id))
            {
                continue;
            }

            if (!row.TryGetProperty("turns", out var turns) || turns.ValueKind != JsonValueKind.Array || turns.GetArrayLength() == 0
                || turns.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                bad.Report(line, "turns", "bad turns", "turns must be a non-empty JSON list of strings");
            }
            else if (!seen.Add(id))
            {
                bad.Report(line, "question_id", "duplicate question", $"question {id} appears twice");
            }
            else
            {
                questions.Add(new Question(line, id, [.. turns.EnumerateArray().Select(t => t.GetString()!)]));
            }
        }

        return questions;
    }

    /// <summary>Sum and count of the non-negative grades per (question, is-strong).</summary>
    private static Dictionary<(long Id, bool Strong), (double Sum, int Count)> ReadGrades(
        string file, HashSet<long> ids, string strongModel, string weakModel, DataReadOptions options, SkippedRows skipped)
    {
        var bad = new BadRows(file, options.SkipBadRows, skipped);
        var grades = new Dictionary<(long, bool), (double Sum, int Count)>();
        foreach (var (line, row) in JsonLines.Read(file, bad))
        {
            if (!JsonLines.TryGetString(row, "model", line, bad, out var model))
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(model))
            {
                bad.Report(line, "model", "empty model name", "the model name is empty");
                continue;
            }

            var isStrong = options.Aliases.AreSame(model, strongModel);
            if (!isStrong && !options.Aliases.AreSame(model, weakModel))
            {
                continue; // another model's answer: not part of this pair's benchmark
            }

            if (!JsonLines.TryGetInt64(row, "question_id", line, bad, out var id) || !JsonLines.TryGetNumber(row, "score", line, bad, out var score))
            {
                continue;
            }

            if (!ids.Contains(id))
            {
                bad.Skip("grade of an unknown question");
            }
            else if (score < 0)
            {
                bad.Skip("negative grade");
            }
            else
            {
                var (sum, count) = grades.GetValueOrDefault((id, isStrong));
                grades[(id, isStrong)] = (sum + score, count + 1);
            }
        }

        return grades;
    }

    private static double? Mean(Dictionary<(long, bool), (double Sum, int Count)> grades, Question question, string model, bool strong, BadRows bad)
    {
        if (grades.TryGetValue((question.Id, strong), out var g))
        {
            return g.Sum / g.Count;
        }

        bad.Report(question.Line, "question_id", "ungraded question",
            $"question {question.Id} has no non-negative grade of {model} in judgements.jsonl");
        return null;
    }
}
