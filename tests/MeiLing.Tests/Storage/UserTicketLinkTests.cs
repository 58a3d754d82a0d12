using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Storage;

/// <summary>The links from a user to their tickets, as an erasure of tickets leaves them.</summary>
[Collection(PlatformCollection.Name)]
public sealed class UserTicketLinkTests(PlatformFixture platform)
{
    // P4.1: the erasure read the user's ticket ids, erased those tickets, then removed every link of the user: a ticket
    // opened in between lost its link and kept its words, which no list, export or later erasure found again (a later
    // cancellation's verification then found a ticket state it could never erase, and never finished).
    [Fact]
    public async Task P4_1_an_erasure_of_tickets_unlinks_the_tickets_it_erased_and_not_one_opened_meanwhile()
    {
        var links = new UserTicketStore(platform.Database.DataSource);
        var userId = EntityId.New(EntityId.UserPrefix);
        var erased = EntityId.New(EntityId.TicketPrefix);
        var openedMeanwhile = EntityId.New(EntityId.TicketPrefix);
        await links.LinkAsync(userId, [erased], DateTimeOffset.UtcNow);
        await links.LinkAsync(userId, [openedMeanwhile], DateTimeOffset.UtcNow);

        var unlinked = await links.EraseAsync(userId, [erased]);

        Assert.Equal(1, unlinked);
        Assert.Equal([openedMeanwhile], await links.TicketIdsOfUserAsync(userId));
    }
}
