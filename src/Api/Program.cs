using MeiLing.Api.Extensions;

// Content root is the app folder, so appsettings.json is found wherever the API is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMeiLingApi();

var app = builder.Build();
app.UseMeiLingApi();
app.MapMeiLingApi();
await app.RunAsync();
