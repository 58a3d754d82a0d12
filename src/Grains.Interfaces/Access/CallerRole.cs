namespace MeiLing.Grains.Access;

/// <summary>Who holds an API key, and so what it may do.</summary>
[GenerateSerializer, Alias("meiling.caller-role")]
public enum CallerRole
{
    Operator = 0,
    Merchant = 1,
    Support = 2,
}
