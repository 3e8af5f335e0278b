// Every test starts CLI processes that use all cores (DuckDB); running the classes one at a time keeps
// the machine responsive for the other test assemblies, which dotnet test runs alongside.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
