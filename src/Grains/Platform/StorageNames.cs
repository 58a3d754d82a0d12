namespace MeiLing.Grains.Platform;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>PostgreSQL grain storage, JSON payloads; clearing a state deletes its row.</summary>
    public const string Default = "meiling";
}
