using MeiLing.Silo;
using MeiLing.Silo.Extensions;

// Content root is the app folder, so appsettings.json is found wherever the silo is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddMeiLingSilo();

var app = builder.Build();
app.MapMeiLingSilo();
if (app.Services.GetRequiredService<SiloSettings>().IsCohosted)
{
    await app.RunWithApiAsync(args);
}
else
{
    await app.RunAsync();
}
