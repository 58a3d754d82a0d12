namespace MeiLing.ServiceDefaults;

/// <summary>The two shapes an operator may deploy the API in (<c>MEILING_TOPOLOGY</c>).</summary>
public static class Topologies
{
    /// <summary>The API in a process of its own, a cluster client reaching the silos through their gateways.</summary>
    public const string Separate = "separate";

    /// <summary>The API inside every silo process, calling grains through that silo: no gateway hop, no wire serialization.</summary>
    public const string Cohosted = "cohosted";
}
