using MeiLing.Grains.Platform;

namespace MeiLing.Grains.Staff;

/// <summary>
/// P1.7 (four eyes): whoever enrols a staff key (POST /v1/staff) is handed its secret, and so is able to act as it; so is
/// whoever enrolled them. Two keys are two people only when neither is below the other in that chain and no staff key is above
/// both. The platform's own operator key, where every chain starts, is the root of trust: it counts only beside a key it
/// enrolled itself, and keys it enrolled approve each other.
/// </summary>
internal static class EnrolmentLineage
{
    // A chain longer than this is taken as related: following it further would let a loop of enrolments outrun the check,
    // and no honest team enrols keys a hundred deep.
    private const int LongestChainFollowed = 100;

    public static async Task<EnrolmentKinship> KinshipAsync(IGrainFactory grains, string first, string second)
    {
        var (firstEnrollers, firstEnded) = await EnrollersAsync(grains, first);
        var (secondEnrollers, secondEnded) = await EnrollersAsync(grains, second);
        if (secondEnrollers.Contains(first))
        {
            return EnrolmentKinship.FirstAboveSecond;
        }

        if (firstEnrollers.Contains(second))
        {
            return EnrolmentKinship.SecondAboveFirst;
        }

        var sharedStaffKey = firstEnrollers.Any(enroller => EntityId.IsWellFormed(enroller, EntityId.StaffPrefix) && secondEnrollers.Contains(enroller));
        return sharedStaffKey || !firstEnded || !secondEnded ? EnrolmentKinship.SameEnroller : EnrolmentKinship.Unrelated;
    }

    // The keys above this one: staff keys up to the platform's key (named only if it enrolled this one itself) or one no
    // record names; and whether the chain ended there.
    private static async Task<(HashSet<string> Enrollers, bool Ended)> EnrollersAsync(IGrainFactory grains, string staffId)
    {
        var enrollers = new HashSet<string>(StringComparer.Ordinal);
        var current = staffId;
        while (EntityId.IsWellFormed(current, EntityId.StaffPrefix))
        {
            var enrolledBy = (await grains.GetGrain<IStaffGrain>(current).Get())?.EnrolledBy;
            if (enrolledBy is null)
            {
                return (enrollers, true);
            }

            if (!EntityId.IsWellFormed(enrolledBy, EntityId.StaffPrefix))
            {
                // The platform's key counts only as the direct enroller: above a staff key it is the root every chain has.
                if (current == staffId)
                {
                    enrollers.Add(enrolledBy);
                }

                return (enrollers, true);
            }

            if (!enrollers.Add(enrolledBy))
            {
                return (enrollers, true);
            }

            if (enrollers.Count >= LongestChainFollowed)
            {
                return (enrollers, false);
            }

            current = enrolledBy;
        }

        return (enrollers, true);
    }
}
