using MeiLing.Grains.Access;
using MeiLing.Grains.Merchants;
using MeiLing.Grains.Platform;
using MeiLing.Grains.Users;
using Microsoft.Extensions.Options;

namespace MeiLing.Grains.Staff;

internal sealed class StaffGrain(
    [PersistentState("staff", StorageNames.Default)] IPersistentState<StaffState> state,
    IOptions<StaffSettings> settings,
    TimeProvider clock) : Grain, IStaffGrain
{
    private readonly AbsentRecordLinger _absent = new();

    // P4.4: a merchant's manager names any staff id (to read, limit or offboard; another's is 404): a made-up one leaves
    // memory in seconds, not after the idle age. A member being enrolled has their record by then.
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        if (state.RecordExists && state.State.TopUps.ForgetMembers())
        {
            // A.2, P4.1: top-ups an older release counted under the members' card keys are renamed as the record wakes.
            await state.WriteStateAsync(cancellationToken);
        }
    }

    async Task<IssuedKey> IStaffGrain.Enrol(EnrolStaff command)
    {
        if (state.RecordExists)
        {
            throw DomainException.Conflict("staff-exists", "A staff member with this id already exists.");
        }

        var now = clock.GetUtcNow();
        var grant = GrantFor(command, now);
        if (command.MerchantId is { } merchantId)
        {
            // P4.4: the merchant counts its staff first, so a loop of enrolments stops at its bound with nothing written.
            // It is listed there too, before its key exists: no key is issued in the merchant's name that the merchant cannot find.
            await GrainFactory.GetGrain<IMerchantGrain>(merchantId).ReserveStaffPlaceBy(StaffId, command.EnrolledBy);
        }
        else
        {
            // P1.7, P4.4: the platform's own staff are listed likewise before their key exists (GET /v1/staff), so a key an
            // operator minted (with a leaked operator key) can be found and offboarded after that operator is; past the
            // roster's bound it is 409 with nothing written. Idempotent per staff id. Members enrolled before the roster was
            // kept are not on it.
            await GrainFactory.GetGrain<IPlatformStaffRosterGrain>(IPlatformStaffRosterGrain.Key).ReservePlace(StaffId);
        }

        var apiKey = ApiKeys.NewKey(grant.Role);
        state.State.Enrol(command, now, ApiKeys.Hash(apiKey));
        await WriteOrForgetAsync();
        return await ApiKeys.IssueAsync(GrainFactory, grant, apiKey);
    }

    Task<StaffView?> IStaffGrain.Offboard() => OffboardAsync(by: null);

    Task<StaffView?> IStaffGrain.OffboardBy(string? offboardedBy) => OffboardAsync(offboardedBy);

    private async Task<StaffView?> OffboardAsync(string? by)
    {
        if (!state.RecordExists)
        {
            return null;
        }

        if (state.State.KeyHash is not { } keyHash)
        {
            throw DomainException.Conflict("key-not-recorded", "This member was enrolled before their key's hash was recorded, so the key cannot be revoked here.");
        }

        // Revoke first, so the key is dead whatever becomes of the record. If the write below fails, the record is read
        // back (WriteOrForgetAsync): the member shows current with a dead key until a retry, which revokes again (a no-op)
        // and writes the record; kept in memory, the retry found the member offboarded, wrote nothing, and the member was
        // current again once the grain left memory.
        await GrainFactory.GetGrain<IApiKeyGrain>(keyHash).Revoke();
        if (state.State.OffboardedAt is null)
        {
            state.State.Offboard(clock.GetUtcNow(), by);
            await WriteOrForgetAsync();
        }

        return state.State.ToView(StaffId, CashierTopUpDefaultFen);
    }

    Task<StaffView?> IStaffGrain.Get() => Task.FromResult(state.RecordExists ? state.State.ToView(StaffId, CashierTopUpDefaultFen) : null);

    async Task IStaffGrain.TakeTopUp(StaffTopUp topUp)
    {
        // The key was resolved to this member of this merchant; anything else is a caller the card should not trust.
        if (!state.RecordExists || state.State.MerchantId != topUp.MerchantId || state.State.OffboardedAt is not null)
        {
            throw DomainException.Forbidden("not-merchant-staff", "This key is not a current staff member of this merchant.");
        }

        if (!state.State.IsCashier)
        {
            return;
        }

        // P1.6: a cashier's top-up is money they say they took; what one can give away for nothing in a day is bounded.
        var limit = state.State.TopUpLimitFen(CashierTopUpDefaultFen);
        switch (state.State.TopUps.Take(topUp.Day, topUp.OperationId, topUp.AmountFen, limit))
        {
            case CashierTopUpOutcome.OverLimit:
                throw DomainException.Forbidden("top-up-limit",
                    $"This top-up would take this cashier past their daily top-up limit of {limit} fen " +
                    $"({state.State.TopUps.LeftOn(topUp.Day, limit)} fen left today); the merchant's key or a manager can make it, or raise the limit.");
            case CashierTopUpOutcome.KeyReused:
                throw DomainException.Conflict("idempotency-key-reused",
                    "This Idempotency-Key was used for a top-up made already, or for another amount; use a new key for a new top-up.");
            case CashierTopUpOutcome.Counted:
                await WriteOrForgetAsync();
                break;
        }
    }

    async Task IStaffGrain.ConfirmTopUpApplied(StaffTopUp topUp)
    {
        if (state.RecordExists && state.State.IsCashier && state.State.TopUps.ConfirmApplied(topUp.Day, topUp.OperationId))
        {
            await WriteOrForgetAsync();
        }
    }

    async Task IStaffGrain.GiveBackTopUp(StaffTopUp topUp)
    {
        if (state.RecordExists && state.State.IsCashier && state.State.TopUps.GiveBack(topUp.Day, topUp.OperationId))
        {
            await WriteOrForgetAsync();
        }
    }

    Task<StaffView?> IStaffGrain.SetTopUpLimit(long? perDayFen) => SetTopUpLimitAsync(perDayFen, now: null, setBy: null);

    Task<StaffView?> IStaffGrain.ChangeTopUpLimit(TopUpLimitChange change) =>
        SetTopUpLimitAsync(change.PerDayFen, clock.GetUtcNow(), change.ChangedBy);

    private async Task<StaffView?> SetTopUpLimitAsync(long? perDayFen, DateTimeOffset? now, string? setBy)
    {
        if (!state.RecordExists)
        {
            return null;
        }

        if (!state.State.IsCashier)
        {
            throw DomainException.Conflict("not-a-cashier", "Only a cashier's top-ups are limited; a manager's are not.");
        }

        if (state.State.SetTopUpLimit(perDayFen, now, setBy))
        {
            await WriteOrForgetAsync();
        }

        return state.State.ToView(StaffId, CashierTopUpDefaultFen);
    }

    Task IStaffGrain.TakeSupportFiling() =>
        TakeSupportAllowance(state => state.RequestFilings, settings.Value.SupportFilingsPerDay, "data-rights requests filed by one support agent");

    Task IStaffGrain.GiveBackSupportFiling() => GiveBackSupportAllowance(state => state.RequestFilings);

    Task IStaffGrain.TakeSupportTicketOpening() =>
        TakeSupportAllowance(state => state.TicketOpenings, settings.Value.SupportTicketsPerDay, "tickets opened by one support agent");

    Task IStaffGrain.GiveBackSupportTicketOpening() => GiveBackSupportAllowance(state => state.TicketOpenings);

    async Task IStaffGrain.TakePhoneLookup()
    {
        // P1.7: past the day's misses the find box answers nothing more, found or not, so it cannot confirm guesses.
        if (state.RecordExists && state.State.IsCurrentSupport)
        {
            state.State.PhoneLookupMisses.EnsureLeft(clock.GetUtcNow(), UserQuotas.Day, settings.Value.SupportPhoneLookupMissesPerDay,
                "look-ups by mobile number that found no user, by one support agent");
        }

        await TakeSupportAllowance(state => state.PhoneLookups, settings.Value.SupportPhoneLookupsPerDay, "look-ups by mobile number by one support agent");
    }

    async Task IStaffGrain.CountPhoneLookupMiss()
    {
        if (state.RecordExists && state.State.IsCurrentSupport)
        {
            state.State.PhoneLookupMisses.Uses.Add(clock.GetUtcNow());
            await WriteOrForgetAsync();
        }
    }

    // P1.7, P4.4 (*reviewer*): the miss is counted in the same turn as its check, with the look-up, and given back once the
    // index found a user: checked before the look-up and counted after it, concurrent look-ups all passed the check while a
    // miss was left, and were all answered "no user" past the day's allowance. Both checks come before either count, so
    // a refusal counts nothing.
    async Task<DateTimeOffset> IStaffGrain.TakePhoneLookupCountingMiss()
    {
        if (!state.RecordExists || !state.State.IsCurrentSupport)
        {
            throw DomainException.Forbidden("not-support-staff", "This key is not a current support agent's.");
        }

        var now = clock.GetUtcNow();
        state.State.PhoneLookupMisses.EnsureLeft(now, UserQuotas.Day, settings.Value.SupportPhoneLookupMissesPerDay,
            "look-ups by mobile number that found no user, by one support agent");
        state.State.PhoneLookups.Take(now, UserQuotas.Day, settings.Value.SupportPhoneLookupsPerDay, "look-ups by mobile number by one support agent");
        state.State.PhoneLookupMisses.Uses.Add(now);
        await WriteOrForgetAsync();
        return now;
    }

    async Task IStaffGrain.GiveBackPhoneLookupMiss(DateTimeOffset countedAt)
    {
        if (state.RecordExists && state.State.PhoneLookupMisses.Uses.Contains(countedAt))
        {
            state.State.PhoneLookupMisses.GiveBack(countedAt);
            await WriteOrForgetAsync();
        }
    }

    // The newest use: whichever of the agent's filings or tickets it was, the count is the same, and a use given back is
    // never an older one that would already have left the day's window.
    private async Task GiveBackSupportAllowance(Func<StaffState, Allowance> allowance)
    {
        if (state.RecordExists && allowance(state.State).Uses.Count > 0)
        {
            allowance(state.State).GiveBack();
            await WriteOrForgetAsync();
        }
    }

    // P1.7, P4.4: kept in this grain, one activation in the cluster, so the count is the agent's whatever API host
    // (or co-hosting silo) served each call; a per-host count would be multiplied by the number of hosts.
    private async Task TakeSupportAllowance(Func<StaffState, Allowance> allowance, int perDay, string what)
    {
        if (!state.RecordExists || !state.State.IsCurrentSupport)
        {
            throw DomainException.Forbidden("not-support-staff", "This key is not a current support agent's.");
        }

        allowance(state.State).Take(clock.GetUtcNow(), UserQuotas.Day, perDay, what);
        await WriteOrForgetAsync();
    }

    // P1.6, P4.4 (*reviewer*): a write that failed leaves nothing in memory that storage does not hold. Kept there, a retry
    // found the change made (a cashier's new limit, an offboarding, a counted top-up), wrote nothing and answered it done,
    // and the grain's next activation had the old record back: a suspect cashier's old limit, a member current again,
    // a top-up the limit never counted. The state is read back, or the activation dropped (StateWrites).
    private Task WriteOrForgetAsync() => state.WriteOrForgetAsync(this);

    private long CashierTopUpDefaultFen => settings.Value.CashierTopUpsPerDayFen;

    private string StaffId => this.GetPrimaryKeyString();

    // The platform's staff act as themselves; a merchant's staff act as their merchant, their key naming them and
    // their role. A role on the wrong side (a merchant's "operator", the platform's "cashier") is refused.
    private ApiKeyGrant GrantFor(EnrolStaff command, DateTimeOffset now) => (command.MerchantId, command.Role) switch
    {
        (null, StaffRole.Operator) => new ApiKeyGrant(CallerRole.Operator, StaffId, now),
        (null, StaffRole.Support) => new ApiKeyGrant(CallerRole.Support, StaffId, now),
        ({ } merchantId, StaffRole.Manager or StaffRole.Cashier) => new ApiKeyGrant(CallerRole.Merchant, merchantId, now, StaffId, command.Role),
        _ => throw DomainException.InvalidField("role", "invalid-role", command.MerchantId is null
            ? "The platform's staff are support or operator."
            : "A merchant's staff are manager or cashier."),
    };
}
