using System.Reflection;
using MeiLing.Grains.Privacy;

namespace MeiLing.Tests.Storage;

public sealed class DataCategoryTagTests
{
    [Fact]
    public void Appendix_every_stored_field_of_a_personal_data_state_is_tagged_with_its_category()
    {
        var stateClasses = typeof(PersonalDataAttribute).Assembly.GetTypes()
            .Where(type => type.GetCustomAttribute<HoldsPersonalDataAttribute>() is not null)
            .ToList();

        var untagged = stateClasses
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(property => property.CanWrite)
                .Where(property => property.GetCustomAttribute<PersonalDataAttribute>() is null
                    && property.GetCustomAttribute<NotPersonalDataAttribute>() is null)
                .Select(property => $"{type.Name}.{property.Name}"))
            .ToList();

        Assert.NotEmpty(stateClasses);
        Assert.Empty(untagged);
    }

    [Fact]
    public void Appendix_the_users_phone_and_location_related_fields_carry_their_categories()
    {
        var phone = typeof(MeiLing.Grains.Users.UserState).GetProperty("Phone")!.GetCustomAttribute<PersonalDataAttribute>();
        var birthDate = typeof(MeiLing.Grains.Users.UserState).GetProperty("BirthDate")!.GetCustomAttribute<PersonalDataAttribute>();

        Assert.Equal(DataCategory.Basic, phone?.Category);
        Assert.True(birthDate?.Sensitive);
    }
}
