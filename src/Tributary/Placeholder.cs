namespace Tributary; internal static class Placeholder { }
