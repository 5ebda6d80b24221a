// Each test runs dotnet publish, which already keeps both cores busy.
[assembly: Parallelize(Scope = ExecutionScope.MethodLevel, Workers = 2)]
