using System.Runtime.CompilerServices;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Platform;

/// <summary>
/// A rolling upgrade runs silos and API hosts of two releases side by side (docs/scaling.md): a grain method
/// or a serialized member the previous release calls or sends must still be there, under the same alias and
/// types. <c>wire-contract.txt</c> holds what was served; a line gone fails here. A line come is added to
/// it on purpose: run the tests once with <c>MEILING_UPDATE_WIRE_CONTRACT=1</c> and commit the file.
/// </summary>
public sealed class WireContractTests
{
    private const string BaselineFile = "wire-contract.txt";

    private static readonly IReadOnlyList<string> Served = WireContract.Of(typeof(IUserGrain).Assembly);

    [Fact]
    public void Every_grain_method_and_serialized_member_of_the_previous_release_is_still_served()
    {
        UpdateBaselineWhenAsked();
        var gone = Baseline().Except(Served, StringComparer.Ordinal).ToList();

        Assert.True(gone.Count == 0,
            "An API host or silo of the previous release would call or send these, and this release no longer serves them. "
            + "Keep the old method (with its alias) beside the new one, or add a member with a new id:\n" + string.Join('\n', gone));
    }

    [Fact]
    public void Every_grain_method_and_serialized_member_is_in_the_baseline_so_its_removal_is_caught()
    {
        UpdateBaselineWhenAsked();
        var come = Served.Except(Baseline(), StringComparer.Ordinal).ToList();

        Assert.True(come.Count == 0,
            $"New on the wire and not yet in {BaselineFile}: run the unit tests with MEILING_UPDATE_WIRE_CONTRACT=1 and commit it:\n"
            + string.Join('\n', come));
    }

    [Fact]
    public void Every_grain_interface_method_and_serialized_type_has_an_alias_so_a_rename_is_not_a_wire_change()
    {
        var unaliased = Served.Where(line => line.Contains("[no alias:", StringComparison.Ordinal)).ToList();

        Assert.True(unaliased.Count == 0, "Give these an [Alias]:\n" + string.Join('\n', unaliased));
    }

    private static IReadOnlyList<string> Baseline() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Platform", BaselineFile))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

    private static void UpdateBaselineWhenAsked([CallerFilePath] string thisFile = "")
    {
        if (Environment.GetEnvironmentVariable("MEILING_UPDATE_WIRE_CONTRACT") != "1")
        {
            return;
        }

        var header = "# What silos and API hosts of the next release must still serve (WireContractTests). One line per grain method or serialized member.";
        var lines = new[] { header }.Concat(Served);
        File.WriteAllLines(Path.Combine(Path.GetDirectoryName(thisFile)!, BaselineFile), lines);
        File.WriteAllLines(Path.Combine(AppContext.BaseDirectory, "Platform", BaselineFile), lines);
    }
}
