namespace MeiLing.Grains.DataRights;

/// <summary>
/// Builds the access bundle: every section of everything held about a user, gathered from every grain
/// and table that holds their data and driven by the data-category tags. Returns the bundle as JSON.
/// </summary>
[Alias("meiling.data-export")]
public interface IDataExportGrain : IGrainWithIntegerKey
{
    [Alias("build")]
    Task<string> Build(string userId);
}
