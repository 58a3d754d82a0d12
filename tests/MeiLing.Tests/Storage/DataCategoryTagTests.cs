using System.Reflection;
using MeiLing.Grains.Activity;
using MeiLing.Grains.Privacy;
using MeiLing.Grains.Users;

namespace MeiLing.Tests.Storage;

public sealed class DataCategoryTagTests
{
    // Grain states live with the grains; rows kept in tables of their own (locations, activity) are wire types.
    private static readonly List<Type> PersonalDataClasses = [.. new[] { typeof(UserState).Assembly, typeof(PersonalDataAttribute).Assembly }
        .Distinct()
        .SelectMany(assembly => assembly.GetTypes())
        .Where(type => type.GetCustomAttribute<HoldsPersonalDataAttribute>() is not null)];

    [Fact]
    public void A_1_every_stored_field_of_a_personal_data_state_or_row_is_tagged_with_its_category()
    {
        var untagged = PersonalDataClasses
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.CanWrite)
                .Where(property => property.GetCustomAttribute<PersonalDataAttribute>() is null
                    && property.GetCustomAttribute<NotPersonalDataAttribute>() is null)
                .Select(property => $"{type.Name}.{property.Name}"))
            .ToList();

        Assert.Contains(typeof(LocationSample), PersonalDataClasses);
        Assert.Contains(typeof(ActivityEntry), PersonalDataClasses);
        Assert.Empty(untagged);
    }

    [Fact]
    public void A_1_every_category_of_the_appendix_tags_some_stored_field()
    {
        var used = PersonalDataClasses
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(property => property.GetCustomAttribute<PersonalDataAttribute>()?.Category)
            .OfType<DataCategory>()
            .ToHashSet();

        Assert.Empty(Enum.GetValues<DataCategory>().Except(used));
    }

    [Fact]
    public void A_1_the_users_phone_and_location_related_fields_carry_their_categories()
    {
        Assert.Equal(DataCategory.Basic, Tag(typeof(UserState), nameof(UserState.Phone)).Category);
        Assert.True(Tag(typeof(UserState), nameof(UserState.BirthDate)).Sensitive);
        foreach (var field in new[] { nameof(LocationSample.Latitude), nameof(LocationSample.Longitude), nameof(LocationSample.AccuracyMeters) })
        {
            var tag = Tag(typeof(LocationSample), field);
            Assert.Equal((DataCategory.Location, true), (tag.Category, tag.Sensitive));
        }
    }

    [Fact]
    public void A_1_the_activity_logs_fields_carry_network_device_and_browsing_categories()
    {
        Assert.Equal(DataCategory.NetworkIdentifier, Tag(typeof(ActivityEntry), nameof(ActivityEntry.IpAddress)).Category);
        Assert.Equal(DataCategory.Device, Tag(typeof(ActivityEntry), nameof(ActivityEntry.UserAgent)).Category);
        Assert.Equal(DataCategory.Device, Tag(typeof(ActivityEntry), nameof(ActivityEntry.OperatingSystem)).Category);
        Assert.Equal(DataCategory.Browsing, Tag(typeof(ActivityEntry), nameof(ActivityEntry.Path)).Category);
        Assert.Equal(DataCategory.Browsing, Tag(typeof(ActivityEntry), nameof(ActivityEntry.SearchTerms)).Category);
    }

    private static PersonalDataAttribute Tag(Type type, string property)
    {
        var tag = type.GetProperty(property)!.GetCustomAttribute<PersonalDataAttribute>();
        Assert.True(tag is not null, $"{type.Name}.{property} carries no category.");
        return tag;
    }
}
