using System.Text;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace MeiLing.Conventional;

/// <summary>Registration of the conventional service: PostgreSQL, the platform's token validation, JSON.</summary>
public static class ConventionalHosting
{
    // The platform's token contract (src/Api/Security/UserSessions.cs): HS256 under MEILING_JWT_KEY (base64 of the key),
    // this issuer and audience, 30 s of clock skew. The bench signs users in on the platform and sends
    // the very same tokens here, so both sides validate identical tokens the same way.
    private const string Issuer = "meiling";
    private const string Audience = "meiling-api";

    public static WebApplicationBuilder AddConventionalService(this WebApplicationBuilder builder)
    {
        var postgres = Require(builder.Configuration, "MEILING_POSTGRES");
        var jwtKey = Require(builder.Configuration, "MEILING_JWT_KEY");

        // Auto-prepare: after two uses a statement is prepared on its connection, as a tuned service
        // would run it (parsing and planning the same few statements is a large share of a small query).
        var connection = new NpgsqlConnectionStringBuilder(postgres)
        {
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            MaxPoolSize = 100,
            NoResetOnClose = true,
        };
        builder.Services.AddSingleton(NpgsqlDataSource.Create(connection.ConnectionString));
        builder.Services.AddSingleton<ConventionalSchema>();

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ConventionalJson.Default);
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(jwtKey)),
                NameClaimType = "sub",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static string Require(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is required (the bench/compare script sets it)");
}
