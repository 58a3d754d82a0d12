using MeiLing.Grains.Transfers;

namespace MeiLing.Grains.Merchants;

// The merchant as a party to business transfers (P3.2): held by each open one, as source or successor.
internal sealed partial class MerchantGrain : IMerchantTransferParty
{
    /// <summary>
    /// How long a transfer that named the merchant holds it before its record exists: far beyond a start's grain calls, so
    /// only a start that died between naming its merchants and writing its record lets them go.
    /// </summary>
    private static readonly TimeSpan TransferStartGrace = TimeSpan.FromMinutes(10);

    async Task IMerchantTransferParty.BeginTransferAway(string transferId)
    {
        var merchant = Merchant;
        if (merchant.Status != MerchantStatus.Active)
        {
            throw DomainException.Conflict("merchant-terminating", "This merchant is closing: its users' data is erased at its date, not transferred.");
        }

        if (merchant.TransferAway is { } open && open.TransferId != transferId && await HoldsAsync(open))
        {
            // P3.2: each user is told of one transfer and objects to it; a second, scheduled beside it, would hand them over
            // past that objection.
            throw DomainException.Conflict("transfer-exists", $"This merchant's business is already being transferred ({open.TransferId}).");
        }

        foreach (var incoming in merchant.TransfersIn)
        {
            // Nor is a business passed on while another still comes into it: the users it brings would arrive after it
            // left, told of neither move.
            if (await HoldsAsync(incoming))
            {
                throw DomainException.Conflict("transfer-exists", $"A business is still being transferred to this merchant ({incoming.TransferId}).");
            }
        }

        if (merchant.TransferAway?.TransferId != transferId)
        {
            merchant.TransferAway = new MerchantState.HeldByTransfer { TransferId = transferId, Since = clock.GetUtcNow() };
            await state.WriteStateAsync();
        }
    }

    async Task IMerchantTransferParty.TakeTransferIn(string transferId)
    {
        var merchant = Merchant;
        if (merchant.Status != MerchantStatus.Active)
        {
            throw DomainException.InvalidField("successorMerchantId", "successor-not-found", "The successor must be an active merchant.");
        }

        if (merchant.TransfersIn.Exists(held => held.TransferId == transferId))
        {
            return;
        }

        if (merchant.TransferAway is { } away && await HoldsAsync(away))
        {
            // A successor passing its own business on would take users in after it left, told of neither move (P3.2).
            throw DomainException.Conflict("transfer-exists", $"This merchant's own business is being transferred ({away.TransferId}).");
        }

        // Transfers that ended without telling (a start that died) leave here as another comes in: the list stays short.
        foreach (var ended in await EndedAsync(merchant.TransfersIn))
        {
            merchant.TransfersIn.Remove(ended);
        }

        merchant.TransfersIn.Add(new MerchantState.HeldByTransfer { TransferId = transferId, Since = clock.GetUtcNow() });
        await state.WriteStateAsync();
    }

    async Task IMerchantTransferParty.TransferEnded(string transferId)
    {
        if (state.RecordExists && state.State.ReleaseFromTransfer(transferId))
        {
            await state.WriteStateAsync();
        }
    }

    /// <summary>An open transfer the merchant is party to, as source or successor; null when none holds it.</summary>
    private async Task<string?> OpenTransferAsync(MerchantState merchant)
    {
        IEnumerable<MerchantState.HeldByTransfer> parties = merchant.TransferAway is { } away ? [away, .. merchant.TransfersIn] : merchant.TransfersIn;
        foreach (var party in parties)
        {
            if (await HoldsAsync(party))
            {
                return party.TransferId;
            }
        }

        return null;
    }

    private async Task<List<MerchantState.HeldByTransfer>> EndedAsync(IEnumerable<MerchantState.HeldByTransfer> parties)
    {
        var ended = new List<MerchantState.HeldByTransfer>();
        foreach (var party in parties)
        {
            if (!await HoldsAsync(party))
            {
                ended.Add(party);
            }
        }

        return ended;
    }

    // Asked of the transfer itself (its Get interleaves, so a transfer waiting on this merchant still answers).
    private async Task<bool> HoldsAsync(MerchantState.HeldByTransfer party) =>
        await GrainFactory.GetGrain<ITransferGrain>(party.TransferId).Get() is { } transfer
            ? transfer.Status != TransferState.Completed
            : clock.GetUtcNow() - party.Since < TransferStartGrace;
}
