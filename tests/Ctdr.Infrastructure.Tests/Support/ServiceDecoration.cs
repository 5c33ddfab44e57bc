using Microsoft.Extensions.DependencyInjection;

namespace Ctdr.Infrastructure.Tests.Support;

public static class ServiceDecoration
{
    /// <summary>Replaces the registration of <typeparamref name="TService"/> by a wrapper around what it registered.</summary>
    public static IServiceCollection Decorate<TService>(this IServiceCollection services, Func<TService, IServiceProvider, TService> wrap)
        where TService : class
    {
        var original = services.Last(d => d.ServiceType == typeof(TService));
        services.Remove(original);
        services.Add(new ServiceDescriptor(typeof(TService), provider => wrap(Create<TService>(original, provider), provider), original.Lifetime));
        return services;
    }

    private static TService Create<TService>(ServiceDescriptor original, IServiceProvider provider)
        where TService : class =>
        original.ImplementationInstance as TService
        ?? original.ImplementationFactory?.Invoke(provider) as TService
        ?? (TService)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!);
}
