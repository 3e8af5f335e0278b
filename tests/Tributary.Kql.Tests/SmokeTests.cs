namespace Tributary.Kql.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Smoke_Builds() => Assert.True(true);
}
