namespace MeiLing.Grains.Privacy;

/// <summary>The policy appendix's categories of personal information (A.1).</summary>
public enum DataCategory
{
    Basic,
    Identity,
    NetworkIdentifier,
    Property,
    Contacts,
    Browsing,
    Device,
    Location,
}
