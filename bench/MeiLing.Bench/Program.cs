using MeiLing.Bench;
using MeiLing.Bench.Compare;
using MeiLing.Bench.Options;
using MeiLing.Bench.Scenarios;

// bench/compare's own steps (seeding both sides, the open-loop study); wrk does its load.
if (CompareCommands.Handles(args))
{
    return await CompareCommands.RunAsync(args, CancellationToken.None);
}

switch (OptionsParser.Parse(args, ScenarioCatalog.Names, Environment.GetEnvironmentVariable))
{
    case ParsedCommand.Help:
        Console.WriteLine(OptionsParser.Usage);
        return 0;
    case ParsedCommand.List:
        foreach (var scenario in ScenarioCatalog.CreateAll())
        {
            Console.WriteLine($"{scenario.Name,-16}{scenario.Description}");
        }

        return 0;
    case ParsedCommand.Invalid invalid:
        await Console.Error.WriteLineAsync($"error: {invalid.Message} (see --help)");
        return 2;
    case ParsedCommand.Run run:
        using (var interrupt = new CancellationTokenSource())
        {
            // First Ctrl-C: stop measuring and print what was measured; a second one ends the process.
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = !interrupt.IsCancellationRequested;
                interrupt.Cancel();
            };
            return await new BenchRun(run.Options, Console.Out).ExecuteAsync(interrupt.Token);
        }

    default:
        return 2;
}
