using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Catalogue;

/// <summary>
/// One product's stock (the ShoppingCart sample's <c>ProductGrain.TryTakeProductAsync</c>): its sales queue here and
/// nowhere else. State first, then the movement's row; a retried operation writes its row again, harmlessly.
/// </summary>
internal sealed class ProductStockGrain(
    [PersistentState("product-stock", StorageNames.Default)] IPersistentState<ProductStockState> state,
    StockMovementStore movements,
    TimeProvider clock) : Grain, IProductStockGrain
{
    private readonly AbsentRecordLinger _absent = new();

    // P4.4: the movements route names any SKU of the right shape, products or not: a stock that was never counted leaves
    // memory in seconds, not after the idle age. A product's first count writes its record before then.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _absent.Start(this, () => state.RecordExists);
        return Task.CompletedTask;
    }

    Task<int?> IProductStockGrain.Get() => Task.FromResult(state.State.Stock);

    Task<IReadOnlyList<StockMovement>> IProductStockGrain.Movements(int limit) => ((IProductStockGrain)this).MovementsBefore(null, limit);

    Task<IReadOnlyList<StockMovement>> IProductStockGrain.MovementsBefore(string? beforeMovementId, int limit)
    {
        var separator = Key.IndexOf('/', StringComparison.Ordinal);
        return movements.LatestAsync(Key[..separator], Key[(separator + 1)..], limit, beforeMovementId);
    }

    async Task<bool> IProductStockGrain.TryTake(StockAdjustment sale)
    {
        if (state.State.Find(sale.OperationId) is not null)
        {
            return true;
        }

        if (state.State.Stock is null)
        {
            // Not tracked: nothing to take (the catalogue says so before an order asks; this guards a race with tracking).
            return true;
        }

        if (!state.State.Covers(-sale.Delta))
        {
            return false;
        }

        await ApplyAsync(sale);
        return true;
    }

    async Task IProductStockGrain.Release(string operationId)
    {
        if (state.State.Release(operationId) is { } delta)
        {
            // P1.6: as ApplyAsync, a release never stored is not kept in memory as given back.
            await state.WriteOrForgetAsync(this);
            await movements.RecordAsync(Key, EntityId.NewInTimeOrder(EntityId.StockMovementPrefix, clock.GetUtcNow()),
                new StockAdjustment($"release:{operationId}", delta, StockReason.Return, null), state.State.Stock ?? 0, clock.GetUtcNow());
        }
    }

    async Task<int> IProductStockGrain.Adjust(StockAdjustment adjustment)
    {
        var remembered = state.State.Find(adjustment.OperationId);
        var done = await FindDoneAsync(adjustment, remembered);
        if (done is not null && done.Delta != adjustment.Delta)
        {
            // Another movement under the same key would otherwise be answered as done while nothing moved, and the till's
            // count would be off without anyone hearing of it.
            throw DomainException.Conflict("idempotency-key-reused", "This Idempotency-Key was used for another stock adjustment; use a new key for a new adjustment.");
        }

        if (done is not null)
        {
            // A retry is the same movement again. Its row may have been lost to a crash after the state was written: recorded
            // again (once), so the key is still found there once the state has forgotten it.
            if (remembered is not null && IsCallersKey(adjustment.OperationId))
            {
                var at = remembered.At ?? clock.GetUtcNow();
                await movements.RecordAsync(Key, EntityId.NewInTimeOrder(EntityId.StockMovementPrefix, at), adjustment, done.StockAfter, at);
            }

            return done.StockAfter;
        }

        return await ApplyAsync(adjustment);
    }

    async Task IProductStockGrain.EnsureAdjustable(StockAdjustment adjustment)
    {
        if (adjustment.Reason != StockReason.Return && await FindDoneAsync(adjustment, state.State.Find(adjustment.OperationId)) is null)
        {
            state.State.EnsureApplies(adjustment.Delta);
        }
    }

    private static bool IsCallersKey(string operationId) => operationId.StartsWith(StockAdjustment.KeyPrefix, StringComparison.Ordinal);

    // P4.4: the state remembers the last 1,000 operations, sales among them; a key the caller chose may be older (a till
    // replaying its queue after a day's sales) and is then found among the movements, not applied again. An id the
    // platform minted for a keyless adjustment is new by construction and asks nothing.
    private async Task<RecordedOperation?> FindForgottenAsync(string operationId) =>
        IsCallersKey(operationId) ? await movements.FindAsync(Key, operationId) : null;

    // What the operation already did: remembered, found among the movements, or made under the previous release's id.
    private async Task<RecordedOperation?> FindDoneAsync(StockAdjustment adjustment, ProductStockState.AppliedMovement? remembered) =>
        remembered is not null
            ? new RecordedOperation(remembered.Delta, remembered.StockAfter)
            : await FindForgottenAsync(adjustment.OperationId) ?? await FindPreviousAsync(adjustment);

    // An adjustment made under the previous release's id for the same Idempotency-Key (the key alone), retried across the
    // deploy, counts once. P1.6, P4.4: only the same caller's, of the same delta, is it: another key's movement under that key
    // is not this one's retry (nor, with another delta, a reuse to refuse), and this one is applied as new.
    private async Task<RecordedOperation?> FindPreviousAsync(StockAdjustment adjustment) =>
        adjustment.PreviousOperationId is { } previous && IsCallersKey(previous) && previous != adjustment.OperationId
            && await movements.FindByAsync(Key, previous, adjustment.StaffId, adjustment.OperatorId) is { } made && made.Delta == adjustment.Delta
            ? made
            : null;

    private async Task<int> ApplyAsync(StockAdjustment movement)
    {
        var now = clock.GetUtcNow();
        var stock = movement.Reason == StockReason.Return
            ? state.State.Return(movement.OperationId, movement.Delta, now)
            : state.State.Apply(movement.OperationId, movement.Delta, now);
        // P1.6: the count moved in memory first; a failed write reads it back, or a sale never stored would stay taken.
        await state.WriteOrForgetAsync(this);
        await movements.RecordAsync(Key, EntityId.NewInTimeOrder(EntityId.StockMovementPrefix, now), movement, stock, now);
        return stock;
    }

    private string Key => this.GetPrimaryKeyString();
}
