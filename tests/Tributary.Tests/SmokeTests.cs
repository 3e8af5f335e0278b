namespace Tributary.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Smoke_Builds() => Assert.True(true);
}
