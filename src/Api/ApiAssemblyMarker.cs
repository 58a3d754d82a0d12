namespace MeiLing.Api;

/// <summary>Names this assembly for <c>WebApplicationFactory</c> without clashing with the silo's <c>Program</c>.</summary>
public sealed class ApiAssemblyMarker;
