using System.Diagnostics;

namespace MeiLing.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test collection's own, in a temporary folder, made and run by the same helpers
/// as <c>scripts/test</c> (<c>scripts/lib/postgres.sh</c>): a test may stop and start it without disturbing the
/// server the other collections share.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _folder;
    private readonly int _port;

    private PrivatePostgres(string folder, int port)
    {
        _folder = folder;
        _port = port;
    }

    /// <summary>A connection string to its <c>postgres</c> database.</summary>
    public string Server => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_folder, "data");

    private string Log => Path.Combine(_folder, "postgres.log");

    public static async Task<PrivatePostgres> StartAsync()
    {
        // Under /tmp with the default mode, so that the postgres user (scripts run initdb as it under root) reaches it.
        var folder = Path.Combine("/tmp", $"meiling-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var postgres = new PrivatePostgres(folder, FreePorts.Take(1)[0]);
        await postgres.RunAsync($"pg_init '{postgres.Data}'");
        await postgres.StartAgainAsync();
        return postgres;
    }

    /// <summary>Fast shutdown: every connection is cut, as in a database restart or failover.</summary>
    public Task StopAsync() => RunAsync($"pg_stop '{Data}'");

    public async Task StartAgainAsync()
    {
        await RunAsync($"pg_start '{Data}' {_port} '{Log}'");
        await RunAsync($"pg_wait {_port} 60");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task RunAsync(string helper)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"source '{HelpersPath}' && {helper}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{helper} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

    // The repository's scripts/lib/postgres.sh, found from the test assembly's folder upwards.
    private static string HelpersPath
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                var helpers = Path.Combine(folder.FullName, "scripts", "lib", "postgres.sh");
                if (File.Exists(helpers))
                {
                    return helpers;
                }
            }

            throw new InvalidOperationException("scripts/lib/postgres.sh not found above the test assembly.");
        }
    }
}
