using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Ctdr.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point of the benchmarks (BenchmarkDotNet's switcher picks them by --filter).</summary>
public partial class Program;
