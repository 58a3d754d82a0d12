namespace MeiLing.Grains.Users;

/// <summary>A user the accounts grain has checked and whose phone it has claimed.</summary>
[GenerateSerializer, Immutable, Alias("meiling.new-user")]
public sealed record NewUser(
    [property: Id(0)] RegisterUser Registration,
    [property: Id(1)] string NormalizedPhone,
    [property: Id(2)] string PasswordHash);
