using System.Diagnostics;

namespace MeiLing.FaultCheck;

/// <summary>Runs the fault and heal commands at their times, printing their output, and notes when each ran.</summary>
public sealed class FaultSchedule(IReadOnlyList<ScheduledCommand> commands, Stopwatch clock, TextWriter output)
{
    private readonly Dictionary<string, TimeSpan> _ranAt = [];

    /// <summary>When the named command was started (from the start of the run), if it was.</summary>
    public TimeSpan? RanAt(string name)
    {
        lock (_ranAt)
        {
            return _ranAt.TryGetValue(name, out var at) ? at : null;
        }
    }

    /// <summary>Runs every command at its time; completes when all have exited. A failing command fails the run.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(commands.Select(command => RunOneAsync(command, cancellationToken)));

    private async Task RunOneAsync(ScheduledCommand command, CancellationToken cancellationToken)
    {
        var wait = command.At - clock.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }

        var start = new ProcessStartInfo("bash", ["-c", command.Command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {command.Name} command.");
        var started = clock.Elapsed;
        lock (_ranAt)
        {
            _ranAt[command.Name] = started;
        }

        Print($"[{command.Name} at +{started.TotalSeconds:F1} s] {command.Command}");
        var relay = Task.WhenAll(RelayAsync(process.StandardOutput, command.Name), RelayAsync(process.StandardError, command.Name));
        await process.WaitForExitAsync(cancellationToken);
        await relay;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {command.Name} command exited with code {process.ExitCode}.");
        }
    }

    private async Task RelayAsync(StreamReader reader, string name)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            Print($"[{name}] {line}");
        }
    }

    private void Print(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
        }
    }
}
