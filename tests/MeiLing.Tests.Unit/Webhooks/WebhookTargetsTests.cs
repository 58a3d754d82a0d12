using System.Net;
using MeiLing.ServiceDefaults;

namespace MeiLing.Tests.Unit.Webhooks;

public sealed class WebhookTargetsTests
{
    [Fact]
    public void P4_4_webhook_targets_refuse_nat64_and_6to4_forms_of_private_addresses()
    {
        // Each carries a private, link-local or loopback IPv4 address that a translator or relay would deliver to.
        string[] refused =
        [
            "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "64:ff9b:1::a00:1",
            "2002:a00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1", "2002:7f00:1::1",
            "::a00:1", "::7f00:1", "::ffff:0:a00:1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        ];

        Assert.All(refused, address => Assert.False(WebhookTargets.IsAllowed(IPAddress.Parse(address), allowLoopback: true), address));
        // The same forms of a public address stay deliverable.
        Assert.True(WebhookTargets.IsAllowed(IPAddress.Parse("64:ff9b::cb00:7209"), allowLoopback: false));
        Assert.True(WebhookTargets.IsAllowed(IPAddress.Parse("2002:cb00:7209::1"), allowLoopback: false));
    }

    // P4.4: a zone makes ::1 and :: compare unequal to themselves: https://[::1%1]:5432/ passed the connect-time guard as a
    // public address and reached the silo's own services (a row stored before the API refused loopback URLs).
    [Fact]
    public void P4_4_a_zone_scoped_ipv6_address_is_never_a_webhook_target()
    {
        Assert.False(WebhookTargets.IsAllowed(IPAddress.Parse("::1%1"), allowLoopback: false));
        Assert.False(WebhookTargets.IsAllowed(IPAddress.Parse("::%1"), allowLoopback: false));
        Assert.False(WebhookTargets.IsAllowed(IPAddress.Parse("2001:4860::8888%2"), allowLoopback: false));
        Assert.NotNull(WebhookTargets.Problem("https://[::1%251]:30000/hooks"));
        Assert.NotNull(WebhookTargets.Problem("https://[2001:4860::8888%252]:8443/hooks"));
    }

    // A merchant pointed its endpoint at port 25 or 22 of someone's public host: the silos connected there and the
    // delivery's status and timing told the merchant what listened, a port probe run by the platform.
    [Fact]
    public void P4_4_a_webhook_url_names_port_443_or_one_from_1024_not_another_services_well_known_port()
    {
        Assert.NotNull(WebhookTargets.Problem("https://shop.example.com:25/hooks"));
        Assert.NotNull(WebhookTargets.Problem("https://shop.example.com:22/hooks"));
        Assert.NotNull(WebhookTargets.Problem("https://203.0.113.7:80/hooks"));
        Assert.Null(WebhookTargets.Problem("https://shop.example.com/hooks"));
        Assert.Null(WebhookTargets.Problem("https://shop.example.com:8443/hooks"));
        // Loopback, where development and tests listen, keeps any port.
        Assert.Null(WebhookTargets.Problem("http://127.0.0.1:80/hooks"));
    }
}
