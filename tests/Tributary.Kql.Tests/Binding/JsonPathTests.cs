using Tributary.Kql.Binding.Udfs;

namespace Tributary.Kql.Tests.Binding;

public sealed class JsonPathTests
{
    [Theory]
    [InlineData("$", "")]
    [InlineData("$.a.b", "/a/b")]
    [InlineData("$['a b'][0]", "/a b/0")]
    [InlineData("$[\"x]y\"].c", "/x]y/c")]
    [InlineData("$.a/b.c~d", "/a~1b/c~0d")]
    public void Parse_DotsBracketsAndIndexes_GiveThePointer(string path, string pointer)
    {
        Assert.Equal(pointer, JsonPath.Parse(path, plainKey: false)!.ToPointer());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("$..a")]
    [InlineData("$.a[*]")]
    [InlineData("$.")]
    [InlineData("$['a'")]
    [InlineData("$a")]
    public void Parse_WhatItDoesNotRead_IsNull(string path)
    {
        Assert.Null(JsonPath.Parse(path, plainKey: false));
    }

    [Fact]
    public void Parse_PlainKey_IsOneName_EvenWithDots()
    {
        var path = JsonPath.Parse("a.b", plainKey: true)!;
        Assert.Equal([new JsonPathStep("a.b", 0)], path.Steps);
    }

    [Theory]
    [InlineData("key", true)]
    [InlineData("$.a.b", true)]
    [InlineData("$.a[0]", false)]
    [InlineData("$", false)]
    public void BagPath_TakesNamesOnly(string key, bool accepted)
    {
        Assert.Equal(accepted, DynamicUdfs.BagPath(key) is not null);
    }
}
