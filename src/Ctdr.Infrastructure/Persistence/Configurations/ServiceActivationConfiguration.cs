using Ctdr.Application.Activation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ctdr.Infrastructure.Persistence.Configurations;

internal sealed class ServiceActivationConfiguration : IEntityTypeConfiguration<ServiceActivation>
{
    public void Configure(EntityTypeBuilder<ServiceActivation> builder)
    {
        builder.ToTable("ServiceActivation");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ActivatedBy).HasMaxLength(256);
        builder.Property(a => a.Currency).HasMaxLength(3).IsRequired();
        builder.Property(a => a.PriceTiersJson).HasMaxLength(2000).IsRequired();
        builder.Ignore(a => a.PriceTiers);
    }
}
