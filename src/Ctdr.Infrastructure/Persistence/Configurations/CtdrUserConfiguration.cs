using Ctdr.Application.Users;
using Ctdr.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class CtdrUserConfiguration : IEntityTypeConfiguration<CtdrUser>
{
    public void Configure(EntityTypeBuilder<CtdrUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(UserInput.MaxDisplayNameLength).IsRequired();
    }
}
