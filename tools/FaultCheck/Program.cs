using System.Diagnostics;
using MeiLing.FaultCheck;

CheckOptions options;
try
{
    options = CheckOptions.Parse(args);
}
catch (Exception exception) when (exception is ArgumentException or UriFormatException)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(CheckOptions.Usage);
    return 2;
}

var output = Console.Out;
using var http = new HttpClient { BaseAddress = options.Api, Timeout = TimeSpan.FromSeconds(30) };
var client = new PlatformClient(http, options.OperatorKey);
var supportKey = await client.CreateSupportKeyAsync(CancellationToken.None);

output.WriteLine($"Writing for {options.Duration.TotalSeconds:F0} s: {options.MerchantWorkers} merchant and {options.UserWorkers} user workers against {options.Api}");
var clock = Stopwatch.StartNew();
var load = new WriteLoad(client, options, clock);
var schedule = new FaultSchedule([.. new[] { options.Fault, options.Heal }.OfType<ScheduledCommand>()], clock, output);
using var progressStop = new CancellationTokenSource();
var progress = options.Quiet ? Task.CompletedTask : Progress.PrintAsync(load, clock, output, progressStop.Token);

var faults = schedule.RunAsync(CancellationToken.None);
await load.RunAsync(CancellationToken.None);
await progressStop.CancelAsync();
await progress;
try
{
    await faults;
}
catch (InvalidOperationException exception)
{
    output.WriteLine(exception.Message);
    return 1;
}

var writes = load.Records.ToList();
var report = new Report(options, writes, schedule.RanAt("fault"), schedule.RanAt("heal"));
report.PrintWrites(output);
report.PrintFault(output);
var reads = await Verification.ReadBackAsync(client, supportKey, writes.Where(w => w.Outcome == WriteOutcome.Acknowledged), CancellationToken.None);
report.PrintReadBack(output, reads);
output.WriteLine(report.Passed ? "RESULT: PASS" : "RESULT: FAIL");
return report.Passed ? 0 : 1;
