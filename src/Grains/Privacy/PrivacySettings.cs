namespace MeiLing.Grains.Privacy;

/// <summary>Deployment secrets and retention periods the grains apply (bound by the silo host).</summary>
public sealed class PrivacySettings
{
    /// <summary>Secret key of the phone index's keyed hash; the same on every silo, for the life of the data.</summary>
    public string PhoneHashKey { get; set; } = "";

    /// <summary>The master keys that wrap users' data keys, <c>id:base64[,id:base64…]</c>, the first current.</summary>
    public string MasterKeys { get; set; } = "";

    /// <summary>How long location samples are kept (P1.2).</summary>
    public TimeSpan LocationRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a delivered webhook (or one failed for good) stays in the outbox, user ids in its body, before it is erased.</summary>
    public TimeSpan WebhookRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a failed notice of a user's right whose recipient was never told since, nor closed, stays in the outbox
    /// past its failure, for support's re-send (P3.1): a year, then it is erased as any other (P4.1) and a re-send is 409
    /// <c>notice-expired</c>. A partner is never closed, nor a merchant that removed its endpoint and stays open.
    /// </summary>
    public TimeSpan UntoldNoticeRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// How long a delivery to a merchant with no endpoint waits, past when it was due, for one to be registered: as long
    /// as its retries would have lasted (four days). Then the retention sweep fails it with <c>no-endpoint</c>, so it
    /// neither stays pending for ever nor outlives the retention window (P4.1, P3.1).
    /// </summary>
    public TimeSpan WebhookEndpointWait { get; set; } = TimeSpan.FromDays(4);

    /// <summary>How long activity log entries are kept (P1.3).</summary>
    public TimeSpan ActivityRetention { get; set; } = TimeSpan.FromDays(180);

    /// <summary>
    /// How many consent changes one user may make per minute (P4.4): a person changes a few; a script with a
    /// stolen session, thousands. Load tests that hammer a small pool of users raise it.
    /// </summary>
    public int ConsentChangesPerMinute { get; set; } = 60;

    /// <summary>
    /// How many consent changes one user may make per day (P4.4): every change is a receipt kept for good (P1.10), and a
    /// minute's allowance alone let a stolen session write 86,400 a day. Load tests raise it with the minute's.
    /// </summary>
    public int ConsentChangesPerDay { get; set; } = 200;

    /// <summary>
    /// How many location samples one user may send per minute (P4.4): an app samples every few seconds at most;
    /// without a bound, one session could grow the user's data (and every export of it) without end.
    /// </summary>
    public int LocationSamplesPerMinute { get; set; } = 60;

    /// <summary>
    /// How many location samples one user may send per day (P4.4): the minute's allowance alone let one session store
    /// 86,400 sealed rows a day, kept for the retention period, and decrypted at every export. One every 30 seconds all
    /// day long is more than any app sends.
    /// </summary>
    public int LocationSamplesPerDay { get; set; } = 2_880;

    /// <summary>
    /// How many orders one merchant may place for one user per day (P4.4): a shop's regular places a few; a till or
    /// script looping on one customer, thousands, each growing the user's orders, export and erasure. Walk-in sales
    /// name no user and are not counted. Load tests that order for a small pool of users spread over more users.
    /// </summary>
    public int MerchantOrdersPerUserPerDay { get; set; } = 500;

    /// <summary>
    /// Messages one user may add to their tickets a day (P4.4): each rewrites its whole ticket (up to 100,000 characters,
    /// sealed), kept until the user's erasure, and a user opens ten tickets a day; only a ticket's own bound (500 messages)
    /// stopped a script. Counted by the user's grain, as location samples are, so nothing of it outlives the account.
    /// </summary>
    public int TicketMessagesPerUserPerDay { get; set; } = 200;
}
