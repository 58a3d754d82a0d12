namespace MeiLing.Grains.MemberCards;

/// <summary>What the access bundle shows of a member card besides its tagged fields: whose card it is.</summary>
internal sealed record MemberCardExport(string MerchantId);
