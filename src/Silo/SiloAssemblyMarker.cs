namespace MeiLing.Silo;

/// <summary>Names this assembly for <c>WebApplicationFactory</c> without clashing with the API's <c>Program</c>.</summary>
public sealed class SiloAssemblyMarker;
