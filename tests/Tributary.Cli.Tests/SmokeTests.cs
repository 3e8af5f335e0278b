namespace Tributary.Cli.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Smoke_Builds() => Assert.True(true);
}
