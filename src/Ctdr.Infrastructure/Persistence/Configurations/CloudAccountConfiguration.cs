using Ctdr.Application.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class CloudAccountConfiguration : IEntityTypeConfiguration<CloudAccount>
{
    public void Configure(EntityTypeBuilder<CloudAccount> builder)
    {
        builder.ToTable("CloudAccounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Provider).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.AccountUid).HasMaxLength(64).IsRequired();
        builder.Property(a => a.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(a => a.Regions).HasMaxLength(1000).IsRequired();
        builder.Property(a => a.AccessKeyId).HasMaxLength(128).IsRequired();
        builder.Property(a => a.ProtectedSecret).IsRequired();
        builder.Property(a => a.Endpoint).HasMaxLength(500);
        builder.Property(a => a.CredentialsMessage).HasMaxLength(1000);
        builder.Ignore(a => a.RegionList);
        builder.Ignore(a => a.DefaultRegion);
        builder.HasIndex(a => new { a.Provider, a.AccountUid }).IsUnique();
    }
}
