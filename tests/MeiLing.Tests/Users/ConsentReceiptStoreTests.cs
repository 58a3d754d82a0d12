using MeiLing.Grains.Consents;
using MeiLing.Grains.Users;
using Npgsql;

namespace MeiLing.Tests.Users;

[Collection(PlatformCollection.Name)]
public sealed class ConsentReceiptStoreTests(PlatformFixture platform)
{
    [Fact]
    public async Task P1_10_a_stored_consent_receipt_cannot_be_rewritten()
    {
        var user = await platform.RegisterUserAsync();
        var receipt = await (await platform.AsUserAsync(user)).SetConsentAsync(user.UserId, "album", true, await platform.CurrentPolicyVersionAsync());

        var rewrite = () => platform.Database.ScalarAsync<bool>(
            "UPDATE consent_receipts SET granted = false WHERE receipt_id = $1 RETURNING granted", receipt.ReceiptId);

        await Assert.ThrowsAsync<PostgresException>(rewrite);
        Assert.True((await platform.Grains.GetGrain<IConsentRecordGrain>(receipt.ReceiptId).Get())!.Granted);
    }

    [Fact]
    public async Task P1_10_a_stored_consent_receipt_cannot_be_deleted()
    {
        var user = await platform.RegisterUserAsync();
        var receipt = await (await platform.AsUserAsync(user)).SetConsentAsync(user.UserId, "album", true, await platform.CurrentPolicyVersionAsync());

        var delete = () => platform.Database.ScalarAsync<string>(
            "DELETE FROM consent_receipts WHERE receipt_id = $1 RETURNING receipt_id", receipt.ReceiptId);

        await Assert.ThrowsAsync<PostgresException>(delete);
        Assert.NotNull(await platform.Grains.GetGrain<IConsentRecordGrain>(receipt.ReceiptId).Get());
    }

    [Fact]
    public async Task Current_consents_are_rebuilt_from_the_receipts_when_the_user_grain_activates_again()
    {
        var version = await platform.CurrentPolicyVersionAsync();
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        await client.SetConsentAsync(user.UserId, "calendar", true, version);
        await client.SetConsentAsync(user.UserId, "notifications", true, version);
        await client.SetConsentAsync(user.UserId, "notifications", false, version);
        var grain = platform.Grains.GetGrain<IUserGrain>(user.UserId);

        await grain.EndActivationAsync();
        var consents = await grain.GetConsents();

        Assert.True(consents.Single(c => c.Purpose == ConsentPurpose.Calendar).Granted);
        Assert.False(consents.Single(c => c.Purpose == ConsentPurpose.Notifications).Granted);
        Assert.Equal(version, consents.Single(c => c.Purpose == ConsentPurpose.Notifications).PolicyVersion);
    }
}
