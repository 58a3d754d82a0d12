using System.Text.Json;
using MeiLing.Grains.DataRights;
using MeiLing.Tests.Users;

namespace MeiLing.Tests.DataRights;

internal static class RequestApiClient
{
    public static async Task<JsonElement> FileRequestAsync(this HttpClient client, string userId, object body)
    {
        var response = await client.PostAsJsonAsync($"/v1/users/{userId}/requests", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>
    /// Polls the request until it is completed or rejected (a request is carried out in the background). A 503 is
    /// what the API answers while the silo that held the request is being declared dead: ask again, as a client would.
    /// </summary>
    public static async Task<JsonElement> WaitUntilDoneAsync(this HttpClient client, string requestId, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement view = default;
        do
        {
            using var response = await client.GetAsync($"/v1/requests/{requestId}");
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                response.EnsureSuccessStatusCode();
                view = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (view.GetProperty("status").GetString() is "completed" or "rejected")
                {
                    return view;
                }
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        return view;
    }

    /// <summary>A newly registered user, signed in, whose access request is answered (its export is ready).</summary>
    public static async Task<(HttpClient Client, string RequestId)> AnsweredAccessRequestAsync(this PlatformFixture platform)
    {
        var user = await platform.RegisterUserAsync();
        var client = await platform.AsUserAsync(user);
        var view = await client.FileRequestAsync(user.UserId, new { type = "access" });
        await client.WaitUntilDoneAsync(view.RequestId());
        return (client, view.RequestId());
    }

    /// <summary>A newly registered user and the request of <paramref name="type"/> they filed, as its grain.</summary>
    public static async Task<(RegisteredUser User, IDataRightsRequestGrain Request)> UserWithRequestAsync(this PlatformFixture platform, string type)
    {
        var user = await platform.RegisterUserAsync();
        var view = await (await platform.AsUserAsync(user)).FileRequestAsync(user.UserId, new { type });
        return (user, platform.Grains.GetGrain<IDataRightsRequestGrain>(view.RequestId()));
    }

    public static string RequestId(this JsonElement view) => view.GetProperty("requestId").GetString()!;
}
