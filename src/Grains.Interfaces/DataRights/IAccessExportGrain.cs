namespace MeiLing.Grains.DataRights;

/// <summary>
/// The access bundle of one user (keyed by user id), produced a part at a time (P8.1, P4.4): everything held about
/// the user, gathered from every grain and table that holds their data, but never held whole, by the silo or by
/// the caller. Each part is bounded in size (<see cref="ExportPart"/>); the caller writes the parts out as they come.
/// </summary>
/// <remarks>
/// Response streaming keeps its enumerator in the activation that started it, so this grain is an ordinary grain
/// (one activation per user), never a stateless worker, whose next call could reach another activation.
/// </remarks>
[Alias("meiling.access-export")]
public interface IAccessExportGrain : IGrainWithStringKey
{
    /// <summary>
    /// The bundle's parts, in document order. A failure part-way ends the enumeration with the exception: what
    /// was received by then is not the whole bundle.
    /// </summary>
    [Alias("parts")]
    IAsyncEnumerable<ExportPart> Parts(CancellationToken cancellationToken = default);
}
