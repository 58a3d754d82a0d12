using MeiLing.Bench.Http;
using MeiLing.Bench.Load;
using MeiLing.Bench.Options;
using MeiLing.Bench.Reporting;
using MeiLing.Bench.Scenarios;
using MeiLing.Bench.Studies;

namespace MeiLing.Bench;

/// <summary>One run: check the system answers, then set up and measure each scenario at each concurrency, then summarize.</summary>
public sealed class BenchRun(BenchOptions options, TextWriter output)
{
    private const int SetupConnections = 16;

    private readonly ReportPrinter _printer = new(output);

    /// <returns>The exit status: 1 when the API or PostgreSQL was unreachable, else 0.</returns>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var machine = MachineInfo.Current();
        _printer.Header(options, machine);

        using var setupHttp = BenchHttp.Create(options.Api, SetupConnections, options.Timeout);
        var api = new ApiClient(setupHttp, options.OperatorKey);
        if (!await CheckReachableAsync(api, cancellationToken))
        {
            return 1;
        }

        var context = new BenchContext(options, api, output);
        var runner = new LoadRunner(options);
        var measurements = new List<Measurement>();
        var figures = new StudyFigures();
        var unreachable = false;
        var catalog = ScenarioCatalog.CreateAll().ToDictionary(s => s.Name);
        foreach (var scenario in options.Scenarios.Select(name => catalog[name]))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                if (scenario is Study study)
                {
                    _printer.ScenarioStarts(scenario);
                    await study.RunAsync(context, measurements, figures, cancellationToken);
                }
                else
                {
                    await MeasureAsync(scenario, context, runner, measurements, cancellationToken);
                }
            }
            catch (SystemUnreachableException exception)
            {
                unreachable = true;
                _printer.Failed(scenario, exception.Message);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                _printer.Failed(scenario, exception.Message);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                _printer.Failed(scenario, "interrupted");
            }
            finally
            {
                // Release what the scenario holds (ceiling-write's pooled connections) before the next one
                // runs: idle connections it kept would take PostgreSQL slots from the system under test.
                if (scenario is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        }

        _printer.Summary(measurements);
        new TargetsPrinter(output).Print(measurements, figures);
        output.WriteLine($"   load avg at end {MachineInfo.Current().LoadAverage} (1, 5, 15 min; includes this run's own load)");
        if (cancellationToken.IsCancellationRequested)
        {
            output.WriteLine("   interrupted: the last measurement was cut short, and the scenarios after it did not run");
        }

        if (options.JsonPath is { } path)
        {
            await JsonReport.WriteAsync(path, options, machine, measurements, CancellationToken.None);
            output.WriteLine($"   results written to {path}");
        }

        return unreachable ? 1 : 0;
    }

    private async Task MeasureAsync(IScenario scenario, BenchContext context, LoadRunner runner, List<Measurement> measurements, CancellationToken cancellationToken)
    {
        _printer.ScenarioStarts(scenario);
        await scenario.SetupAsync(context, cancellationToken);
        _printer.SetupDone(scenario);
        foreach (var concurrency in options.Concurrency)
        {
            using var http = BenchHttp.Create(options.Api, concurrency, options.Timeout);
            var result = await runner.RunAsync(scenario, concurrency, http, cancellationToken);
            _printer.Result(result);
            measurements.Add(new Measurement(result, scenario.Provides, scenario.ComparedWith));
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<bool> CheckReachableAsync(ApiClient api, CancellationToken cancellationToken)
    {
        try
        {
            var ping = await api.StatusAsync(ApiRequests.Ping(), cancellationToken);
            if (ping is < 200 or > 299)
            {
                output.WriteLine($"warning: GET /v1/ping answered {ping}; ceiling-http will count errors");
            }

            var ready = await api.StatusAsync(ApiRequests.Ready(), cancellationToken);
            if (ready != 200)
            {
                output.WriteLine($"warning: GET /health/ready answered {ready}: the API is up but not ready (cluster or PostgreSQL); expect errors");
            }

            return true;
        }
        catch (SystemUnreachableException exception)
        {
            await Console.Error.WriteLineAsync($"error: {exception.Message}. Start the system first (scripts/run) or point --api at it.");
            return false;
        }
    }
}
