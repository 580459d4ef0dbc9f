using System.CommandLine;
using System.Globalization;
using Serval.Cli.Output;
using Serval.Ocr.Evaluation;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>eval-ocr DIR --fn NAME</c>: sends every image of an evaluation set (DIR/truth.json) to an OCR
/// function's <c>/predict</c> and prints the character accuracy, line recall and latency; with
/// <c>--min-accuracy</c> / <c>--min-recall</c> it exits 1 when a figure is below its threshold.
/// </summary>
internal static class EvalOcrCommand
{
    public static Command Create(CliHost host)
    {
        var dir = new Argument<string>("dir") { Description = "the evaluation set: images and a truth.json (tests/ocr-eval)", HelpName = "DIR" };
        var fn = new Option<string>("--fn") { Description = "the OCR function to call (POST /fn/NAME/predict)", HelpName = "NAME", Required = true };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "images in flight at once (with 1, each latency is that of an unloaded call)",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var minAccuracy = new Option<double?>("--min-accuracy") { Description = "exit 1 when the character accuracy is below X (0..1)", HelpName = "X" };
        var minRecall = new Option<double?>("--min-recall") { Description = "exit 1 when the line recall is below Y (0..1)", HelpName = "Y" };
        var verbose = new Option<bool>("--verbose") { Description = "a row per image, with the lines it missed" };
        var command = new Command("eval-ocr", "score an OCR function on an evaluation set: character accuracy, line recall, latency")
        {
            dir, fn, concurrency, minAccuracy, minRecall, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            int inFlight = parse.GetValue(concurrency);
            if (inFlight < 1)
            {
                throw new CliException($"--concurrency: must be at least 1, not {inFlight}");
            }

            double? accuracyThreshold = Fraction(parse.GetValue(minAccuracy), "--min-accuracy");
            double? recallThreshold = Fraction(parse.GetValue(minRecall), "--min-recall");
            string folder = parse.GetValue(dir)!;
            var set = OcrEvalSet.Load(folder);
            using var client = host.Connect(parse);
            var predictions = await OcrPredictions.RunAsync(client, parse.GetValue(fn)!, folder, set, inFlight, host.Time, ct);

            var scores = new OcrImageScore[predictions.Length];
            for (int i = 0; i < predictions.Length; i++)
            {
                scores[i] = OcrImageScore.Compute(predictions[i].Truth.Lines, predictions[i].Lines);
            }

            if (parse.GetValue(verbose))
            {
                host.Console.Write(PerImage(predictions, scores));
            }

            var total = OcrScore.Over(scores);
            PrintTotals(host.Console, total, predictions, inFlight);

            var failures = new List<string>();
            if (accuracyThreshold is { } a && total.CharacterAccuracy < a)
            {
                failures.Add($"character accuracy {F(total.CharacterAccuracy)} is below --min-accuracy {F(a)}");
            }

            if (recallThreshold is { } r && total.LineRecall < r)
            {
                failures.Add($"line recall {F(total.LineRecall)} is below --min-recall {F(r)}");
            }

            if (failures.Count > 0)
            {
                host.Error.WriteLine(string.Join("; ", failures));
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static Table PerImage(OcrPrediction[] predictions, OcrImageScore[] scores)
    {
        var table = Tables.Create("image", "lines", "read", "char accuracy", "edits", "latency", "missed");
        for (int i = 0; i < predictions.Length; i++)
        {
            var missed = OcrImageScore.Missed(predictions[i].Truth.Lines, predictions[i].Lines);
            table.AddTextRow(
                predictions[i].Truth.Image,
                scores[i].Lines.ToString(CultureInfo.InvariantCulture),
                scores[i].MatchedLines.ToString(CultureInfo.InvariantCulture),
                F(scores[i].CharacterAccuracy),
                $"{scores[i].Edits} / {scores[i].Characters}",
                Ms(predictions[i].LatencyMs),
                string.Join(" | ", missed));
        }

        return table;
    }

    private static void PrintTotals(IAnsiConsole console, OcrScore total, OcrPrediction[] predictions, int concurrency)
    {
        var latencies = new double[predictions.Length];
        for (int i = 0; i < predictions.Length; i++)
        {
            latencies[i] = predictions[i].LatencyMs;
        }

        console.WriteLine($"character accuracy  {F(total.CharacterAccuracy)}  ({total.Edits} edits in {total.Characters} characters)");
        console.WriteLine($"line recall         {F(total.LineRecall)}  ({total.MatchedLines} of {total.Lines} lines)");
        console.WriteLine($"images              {total.Images}");
        console.WriteLine(
            $"latency per image   mean {Ms(latencies.Average())} · p50 {Ms(Percentiles.Of(latencies, 50))} · " +
            $"p99 {Ms(Percentiles.Of(latencies, 99))}  (concurrency {concurrency})");
    }

    private static double? Fraction(double? value, string option) =>
        value is { } v && (double.IsNaN(v) || v < 0 || v > 1)
            ? throw new CliException($"{option}: {v.ToString(CultureInfo.InvariantCulture)} is not between 0 and 1")
            : value;

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Ms(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
