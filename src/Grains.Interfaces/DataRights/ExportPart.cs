namespace MeiLing.Grains.DataRights;

/// <summary>
/// One part of the access bundle, which is one JSON object. <see cref="Path"/> names where the part goes: a section
/// of the bundle (<c>["orders"]</c>) or a field of one (<c>["consents", "history"]</c>); the parts come in document
/// order, so the objects on a path open where the path first appears and close where it is left.
/// A value part (<see cref="IsList"/> false) holds the whole JSON value at its path in <see cref="Json"/>; a list
/// part holds some of the items of the list at its path, in order, and the parts right after it with the same path
/// hold the rest. A list has at least one part, which may hold no item (an empty list).
/// </summary>
[GenerateSerializer, Immutable, Alias("meiling.export-part")]
public sealed record ExportPart(
    [property: Id(0)] IReadOnlyList<string> Path,
    [property: Id(1)] bool IsList,
    [property: Id(2)] IReadOnlyList<string> Json)
{
    /// <summary>How many characters of JSON the part holds.</summary>
    public int Size => Json.Sum(json => json.Length);
}
