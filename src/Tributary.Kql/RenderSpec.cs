namespace Tributary.Kql;

/// <summary>The visualization a query asked for with its trailing <c>render</c> operator.</summary>
/// <param name="Kind">timechart, linechart, columnchart, barchart, piechart, scatterchart, areachart or table.</param>
/// <param name="Title">The <c>with (title=…)</c> property, if given.</param>
public sealed record RenderSpec(string Kind, string? Title = null);
