using MeiLing.Grains.Consents;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Unit.Users;

/// <summary>The view a user grain publishes for a co-hosted API answers as the grain's state does, and is a copy.</summary>
public sealed class ActivatedUserViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P4_4_the_view_refuses_the_sessions_the_state_refuses_and_keeps_refusing_after_the_state_moves_on()
    {
        var user = new UserState { SessionGeneration = 3 };
        user.EndSession(3, "ended", Now.AddHours(12), Now);

        var view = user.ToView();
        user.RevokeSessions();

        Assert.False(view.IsSessionCurrent(3, "ended"));
        Assert.True(view.IsSessionCurrent(3, "other"));
        Assert.True(view.IsSessionCurrent(3, null));
        Assert.False(view.IsSessionCurrent(2, "other"));
        Assert.False(user.ToView().IsSessionCurrent(3, "other"));
    }

    [Fact]
    public void P1_1_the_view_holds_every_purpose_as_the_grain_answers_it_and_not_a_later_change()
    {
        var user = new UserState();
        var granted = new ConsentReceipt("rcp_1", "usr_1", ConsentPurpose.Location, true, "v1", Now, "app", "CN");
        user.LoadConsents([granted]);

        var view = user.ToView();
        user.LoadConsents([granted with { Granted = false }]);

        Assert.Equal(ConsentPurposes.All.Count, view.Consents.Count);
        Assert.True(view.Consents.Single(status => status.Purpose == ConsentPurpose.Location).Granted);
        Assert.All(view.Consents.Where(status => status.Purpose != ConsentPurpose.Location), status => Assert.False(status.Granted));
        Assert.Equal(user.ConsentStatuses().Select(status => status.Purpose), view.Consents.Select(status => status.Purpose));
    }

    [Fact]
    public void P1_1_P4_4_every_change_the_view_shows_moves_its_revision_so_the_grain_publishes_it_again()
    {
        var user = new UserState { SessionGeneration = 3 };
        var receipt = new ConsentReceipt("rcp_1", "usr_1", ConsentPurpose.Location, true, "v1", Now, "app", "CN");
        var revisions = new List<int> { user.ViewRevision };

        user.LoadConsents([receipt]);
        revisions.Add(user.ViewRevision);
        user.RecordConsent(receipt with { ReceiptId = "rcp_2", Granted = false }, policyIndex: 0);
        revisions.Add(user.ViewRevision);
        user.EndSession(3, "ended", Now.AddHours(12), Now);
        revisions.Add(user.ViewRevision);
        user.RevokeSessions();
        revisions.Add(user.ViewRevision);

        Assert.Equal(revisions.Count, revisions.Distinct().Count());
    }

    [Fact]
    public void An_ended_session_of_an_old_generation_changes_nothing_the_view_shows()
    {
        var user = new UserState { SessionGeneration = 3 };
        var before = user.ViewRevision;

        Assert.False(user.EndSession(2, "old", Now.AddHours(12), Now));
        Assert.Equal(before, user.ViewRevision);
    }

    [Fact]
    public void A_view_is_rendered_once_for_every_read_and_a_new_view_is_rendered_again()
    {
        var user = new UserState();
        var view = user.ToView();
        var renderer = new object();
        var renders = 0;
        string Render(object _, IReadOnlyList<ConsentStatus> consents) => $"{++renders}:{consents.Count}";

        var first = view.RenderedBy(renderer, Render);
        var second = view.RenderedBy(renderer, Render);
        var other = view.RenderedBy(new object(), Render);
        var next = user.ToView().RenderedBy(renderer, Render);

        Assert.Same(first, second);
        Assert.NotEqual(first, other);
        Assert.NotEqual(first, next);
        Assert.Equal(3, renders);
    }
}
