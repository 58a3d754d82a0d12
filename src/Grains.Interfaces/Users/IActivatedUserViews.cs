namespace MeiLing.Grains.Users;

/// <summary>
/// What the user grains activated in this process last published of themselves: where each consent stands and which
/// of the user's sessions are current. An API co-hosted with the silo reads a user's consents here without a grain call
/// (no message, no two hops through the thread pool); a user whose grain is not activated in this process has no view,
/// and the API asks the grain. A grain publishes before it answers each call that may change it, and withdraws its view
/// when it deactivates, so a read never sees less than the grain has answered (a withdrawal applies at once, P1.1).
/// </summary>
public interface IActivatedUserViews
{
    /// <summary>The view of <paramref name="userId"/>'s grain if it is activated in this process and the user exists; else null.</summary>
    ActivatedUserView? Find(string userId);
}
