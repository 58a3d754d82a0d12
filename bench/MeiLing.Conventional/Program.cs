using MeiLing.Conventional;

// The yardstick of issue 15: the same three routes as the platform, built the conventional way (a
// stateless ASP.NET Core service that asks PostgreSQL on every request), plus a constant endpoint.
var builder = WebApplication.CreateSlimBuilder(args);
builder.AddConventionalService();

var app = builder.Build();
await app.Services.GetRequiredService<ConventionalSchema>().EnsureAsync(app.Lifetime.ApplicationStopping);
app.UseAuthentication();
app.UseAuthorization();
app.MapConventionalRoutes();
await app.RunAsync();
