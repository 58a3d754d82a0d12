using System.Text.Json;
using MeiLing.Grains.Consents;
using MeiLing.Grains.Notifications;
using MeiLing.Grains.Users;
using MeiLing.Silo.Schema;
using MeiLing.Tests.DataRights;

namespace MeiLing.Tests.Users;

/// <summary>
/// Users stored by an earlier version kept their consent history, notices and ticket links in their own state; the
/// one-off import moves them out, and an export or an erasure that comes first moves them itself.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LegacyUserStateTests(PlatformFixture platform)
{
    private static readonly DateTimeOffset Then = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task An_old_shaped_users_receipts_notices_and_tickets_survive_the_one_off_import()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var (user, legacy) = await OldShapedUserAsync(version);
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);

        // Activation no longer imports anything.
        Assert.Empty(await grain.GetConsentHistory());
        await platform.Database.ScalarAsync<int>("INSERT INTO legacy_user_state_imports (user_id) VALUES ($1) RETURNING 1", user.UserId);
        await new LegacyUserStateImport(platform.Database.DataSource, platform.Grains).RunAsync(CancellationToken.None);

        var history = await grain.GetConsentHistory();
        var album = (await grain.GetConsents()).Single(c => c.Purpose == ConsentPurpose.Album);
        var notices = await platform.Grains.GetGrain<IUserNotifications>(user.UserId).GetNotifications();
        var left = await platform.ReadAsync<UserState>("user", "user", user.UserId);
        var listed = await platform.Database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM legacy_user_state_imports WHERE user_id = $1)", user.UserId);

        Assert.Equal(legacy.ReceiptId, Assert.Single(history).ReceiptId);
        Assert.True(album.Granted);
        Assert.Equal(Then, album.At);
        Assert.Contains(notices, notice => notice.Message == legacy.Notice.Message && notice.At == Then);
        Assert.Equal([legacy.TicketId], await grain.GetTicketIds());
        Assert.Null(left.LegacyFields());
        Assert.False(listed);
    }

    [Fact]
    public async Task An_export_before_the_import_reaches_the_user_still_holds_the_old_notices_and_tickets()
    {
        var (user, legacy) = await OldShapedUserAsync(await platform.CurrentPolicyVersionAsync());

        var bundle = ExportBundle.Assemble(await platform.Grains.PartsAsync(user.UserId));

        Assert.Contains(bundle.GetProperty("notifications").GetProperty("notifications").EnumerateArray(),
            notice => notice.GetProperty("message").GetString() == legacy.Notice.Message);
        Assert.Equal([legacy.TicketId], await platform.Grains.GetGrain<IUserTickets>(user.UserId).GetTicketIds());
    }

    // A user as an earlier version stored it: the three fields under their old names in the user's own state.
    private async Task<(RegisteredUser User, (string ReceiptId, UserNotification Notice, string TicketId) Legacy)> OldShapedUserAsync(string version)
    {
        var user = await platform.RegisterUserAsync();
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);
        await grain.EndActivationAsync();
        var receiptId = $"rcp_legacy{Guid.NewGuid():N}";
        var notice = new UserNotification("merchant-closing", $"An old notice {Guid.NewGuid():N}", "mch_legacy", Then, Then, null, "ntf_legacy");
        var ticketId = $"tkt_legacy{Guid.NewGuid():N}";
        await platform.ChangeStoredStateAsync<UserState>(grain, "user", state => state.EarlierVersionFields = new()
        {
            ["ConsentHistory"] = JsonSerializer.SerializeToElement(new[]
            {
                new { ReceiptId = receiptId, Purpose = "Album", Granted = true, PolicyVersion = version, At = Then, CollectionMethod = "api" },
            }),
            ["Notifications"] = JsonSerializer.SerializeToElement(new[] { notice }),
            ["TicketIds"] = JsonSerializer.SerializeToElement(new[] { ticketId }),
        });
        return (user, (receiptId, notice, ticketId));
    }
}
