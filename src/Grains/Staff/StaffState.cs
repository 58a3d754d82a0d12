namespace MeiLing.Grains.Staff;

/// <summary>Persisted state of a staff member.</summary>
public sealed class StaffState
{
    public string Name { get; set; } = "";

    public StaffRole Role { get; set; }

    public DateTimeOffset EnrolledAt { get; set; }

    public void Enrol(EnrolStaff command, DateTimeOffset now)
    {
        Name = command.Name;
        Role = command.Role;
        EnrolledAt = now;
    }
}
