namespace MeiLing.Grains.Staff;

/// <summary>How two staff keys are related through who enrolled whom (see <see cref="EnrolmentLineage"/>).</summary>
internal enum EnrolmentKinship
{
    /// <summary>Neither key is below the other, and no staff key is above both.</summary>
    Unrelated,

    /// <summary>The first key enrolled the second, or a key it enrolled did, at any depth.</summary>
    FirstAboveSecond,

    /// <summary>The second key enrolled the first, or a key it enrolled did, at any depth.</summary>
    SecondAboveFirst,

    /// <summary>One staff key is above both: whoever holds it was handed both secrets.</summary>
    SameEnroller,
}
