using System.Net;
using MeiLing.Api.Security;

namespace MeiLing.Tests.Security;

/// <summary>P4.4: the per-address limits key a client as a provider hands out addresses, so a subscriber cannot multiply its allowance.</summary>
public sealed class ClientAddressTests
{
    [Fact]
    public void P4_4_every_address_of_one_ipv6_64_shares_one_allowance()
    {
        var one = RateLimits.ClientAddress(IPAddress.Parse("2001:db8:1:2::1"));
        var another = RateLimits.ClientAddress(IPAddress.Parse("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        var nextNetwork = RateLimits.ClientAddress(IPAddress.Parse("2001:db8:1:3::1"));

        Assert.Equal(one, another);
        Assert.NotEqual(one, nextNetwork);
    }

    [Fact]
    public void P4_4_ipv4_addresses_stay_apart_and_an_ipv4_mapped_one_is_its_ipv4_address()
    {
        Assert.NotEqual(RateLimits.ClientAddress(IPAddress.Parse("203.0.113.7")), RateLimits.ClientAddress(IPAddress.Parse("203.0.113.8")));
        Assert.Equal(RateLimits.ClientAddress(IPAddress.Parse("203.0.113.7")), RateLimits.ClientAddress(IPAddress.Parse("::ffff:203.0.113.7")));
    }
}
