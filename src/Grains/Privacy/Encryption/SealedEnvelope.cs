using System.Text.Json;

namespace MeiLing.Grains.Privacy.Encryption;

/// <summary>
/// What a sealed state looks like in the database: whose key, the ciphertext, and the envelope's version.
/// Version 2 binds the ciphertext to the state name and grain it was written for (AES-GCM associated data),
/// so a row copied onto another grain fails to open. Rows written before it (no <c>V</c>) were bound to
/// their owner only; they still open, and are sealed as version 2 on their grain's next write.
/// </summary>
public sealed record SealedEnvelope(string Marker, string Owner, string Data, int? V = SealedEnvelope.Current)
{
    public const string SealedMarker = "sealed";
    public const int Current = 2;

    /// <summary>The associated data a state is sealed with: its state name, grain and owner in version 2.</summary>
    public static string Context(int? version, string stateName, GrainId grainId, string owner) => version switch
    {
        null => owner,
        Current => JsonSerializer.Serialize(new[] { "meiling-sealed-state/2", stateName, grainId.ToString(), owner }),
        _ => throw new FormatException($"Sealed envelope version {version} is not one this build reads."),
    };

    public static bool IsSealed(JsonElement stored) =>
        stored.TryGetProperty(nameof(Marker), out var marker) && marker.ValueKind == JsonValueKind.String && marker.GetString() == SealedMarker;

    public static SealedEnvelope Parse(JsonElement stored) => new(
        SealedMarker,
        stored.GetProperty(nameof(Owner)).GetString() ?? throw new FormatException("A sealed envelope names its owner."),
        stored.GetProperty(nameof(Data)).GetString() ?? throw new FormatException("A sealed envelope holds data."),
        stored.TryGetProperty(nameof(V), out var version) && version.ValueKind == JsonValueKind.Number ? version.GetInt32() : null);
}
