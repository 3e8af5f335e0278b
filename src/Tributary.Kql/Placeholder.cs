namespace Tributary.Kql; internal static class Placeholder { }
