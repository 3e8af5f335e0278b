using System.Text;
using Tributary.Demo;

namespace Tributary.Telemetry.Internal;

/// <summary>Where a session runs: the web portal, the mobile app or the desktop app.</summary>
internal enum ClientPlatform
{
    Portal,
    App,
    Desktop,
}

/// <summary>An organisation (tenant) with its channel id; bigger ones have more users.</summary>
internal sealed record TelemetryChannel(string Id, double Weight);

/// <summary>A content of the catalogue: a resource (in a collection) or a collection itself.</summary>
internal sealed record TelemetryContent(string Id, string Type, string Ver, string Mime, string Subject, string Topic, int Grade, int Questions, string? Collection, string? CollectionType);

/// <summary>A signed-in user of a channel.</summary>
internal sealed record TelemetryUser(string Id, int Channel);

/// <summary>A device (<c>did</c>) with its platform, owner (-1 for anonymous), channel and client build.</summary>
internal sealed record TelemetryDevice(string Did, ClientPlatform Platform, int User, int Channel, int Variant, string ClientVersion);

/// <summary>
/// The world the sessions play in, drawn once from the seed: channels, a content catalogue (resources in collections,
/// popular ones played more), users with one or two devices each, and anonymous devices. Immutable.
/// </summary>
internal sealed class TelemetryPopulation
{
    public static readonly string[] Subjects = ["Mathematics", "Science", "English", "Hindi", "Social Science", "Environmental Studies"];

    public static readonly string[][] Topics =
    [
        ["fractions", "decimals", "integers", "algebra", "geometry", "ratio and proportion", "mensuration"],
        ["photosynthesis", "electricity", "magnetism", "acids and bases", "motion", "cell structure", "light"],
        ["tenses", "grammar", "poems", "reading comprehension", "letter writing"],
        ["vyakaran", "kavita", "kahani", "nibandh"],
        ["french revolution", "democracy", "maps", "natural resources", "constitution"],
        ["water", "plants", "animals", "our body", "food"],
    ];

    private static readonly (string Mime, double Weight)[] Mimes =
    [
        ("application/pdf", 30), ("video/mp4", 25), ("video/x-youtube", 15), ("application/vnd.ekstep.ecml-archive", 12),
        ("application/vnd.ekstep.html-archive", 10),
    ];

    private readonly double[] _deviceWeights;
    private readonly double[] _contentWeights;

    private TelemetryPopulation(List<TelemetryChannel> channels, List<TelemetryContent> collections, List<TelemetryContent> resources,
        List<TelemetryUser> users, List<TelemetryDevice> devices, double[] deviceWeights)
    {
        Channels = channels;
        Collections = collections;
        Resources = resources;
        Users = users;
        Devices = devices;
        _deviceWeights = Cumulative(deviceWeights);
        _contentWeights = Cumulative([.. resources.Select((_, i) => 1 / Math.Pow(i + 1, 0.8))]);
    }

    public IReadOnlyList<TelemetryChannel> Channels { get; }

    public IReadOnlyList<TelemetryContent> Collections { get; }

    public IReadOnlyList<TelemetryContent> Resources { get; }

    public IReadOnlyList<TelemetryUser> Users { get; }

    public IReadOnlyList<TelemetryDevice> Devices { get; }

    /// <summary>Draws the population of <paramref name="users"/> users from <paramref name="rng"/>.</summary>
    public static TelemetryPopulation Create(int users, Random rng)
    {
        var channels = new List<TelemetryChannel>();
        for (var i = 0; i < 8; i++)
        {
            channels.Add(new TelemetryChannel("01" + Digits(rng, 17), 1 / Math.Pow(i + 1, 1.1)));
        }

        var collections = new List<TelemetryContent>();
        for (var i = 0; i < 30; i++)
        {
            var subject = rng.Next(Subjects.Length);
            var type = DemoRandom.Weighted(rng, [("Course", 4.0), ("TextBook", 5.0), ("Collection", 1.0)]);
            collections.Add(new TelemetryContent(ContentId(rng), type, rng.Next(1, 4).ToString(), "application/vnd.ekstep.content-collection",
                Subjects[subject], DemoRandom.Pick(rng, Topics[subject]), rng.Next(1, 11), 0, null, null));
        }

        var resources = new List<TelemetryContent>();
        for (var i = 0; i < 300; i++)
        {
            var collection = DemoRandom.Pick(rng, collections);
            var subject = Array.IndexOf(Subjects, collection.Subject);
            var mime = DemoRandom.Weighted(rng, Mimes);
            var questions = mime == "application/vnd.ekstep.ecml-archive" ? rng.Next(2, 7) : 0;
            resources.Add(new TelemetryContent(ContentId(rng), "Content", rng.Next(1, 5).ToString(), mime, collection.Subject,
                DemoRandom.Pick(rng, Topics[subject]), collection.Grade, questions, collection.Id, collection.Type));
        }

        var channelChoices = channels.Select((c, i) => (i, c.Weight)).ToList();
        var people = new List<TelemetryUser>(users);
        var devices = new List<TelemetryDevice>();
        var weights = new List<double>();
        for (var u = 0; u < users; u++)
        {
            var channel = DemoRandom.Weighted(rng, channelChoices);
            people.Add(new TelemetryUser(DemoRandom.Guid(rng), channel));
            var count = rng.NextDouble() < 0.2 ? 2 : 1;
            for (var d = 0; d < count; d++)
            {
                devices.Add(Device(rng, u, channel));
                weights.Add(DemoRandom.LogNormal(rng, 0.8));
            }
        }

        for (var a = 0; a < Math.Max(2, users / 4); a++)
        {
            devices.Add(Device(rng, -1, 0));
            weights.Add(0.5 * DemoRandom.LogNormal(rng, 0.8));
        }

        return new TelemetryPopulation(channels, collections, resources, people, devices, [.. weights]);
    }

    /// <summary>A device, more active ones more often.</summary>
    public int PickDevice(Random rng) => Pick(rng, _deviceWeights);

    /// <summary>A resource, popular ones more often.</summary>
    public TelemetryContent PickResource(Random rng) => Resources[Pick(rng, _contentWeights)];

    /// <summary><paramref name="count"/> random decimal digits.</summary>
    public static string Digits(Random rng, int count)
    {
        var sb = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            sb.Append((char)('0' + rng.Next(10)));
        }

        return sb.ToString();
    }

    /// <summary><paramref name="count"/> random lowercase hex digits.</summary>
    public static string Hex(Random rng, int count)
    {
        var sb = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            sb.Append("0123456789abcdef"[rng.Next(16)]);
        }

        return sb.ToString();
    }

    private static TelemetryDevice Device(Random rng, int user, int channel)
    {
        var platform = DemoRandom.Weighted(rng, [(ClientPlatform.Portal, 45.0), (ClientPlatform.App, 50.0), (ClientPlatform.Desktop, 5.0)]);
        var did = platform == ClientPlatform.Portal ? Hex(rng, 32) : Hex(rng, 40);
        var version = platform switch
        {
            ClientPlatform.Portal => "5.1.0",
            ClientPlatform.App => rng.NextDouble() < 0.7 ? "5.1.2841" : "5.0.2755",
            _ => "3.2.11",
        };
        return new TelemetryDevice(did, platform, user, channel, rng.Next(1 << 16), version);
    }

    private static string ContentId(Random rng) => "do_" + DemoRandom.Pick(rng, ["21", "31", "11"]) + Digits(rng, 20);

    private static double[] Cumulative(double[] weights)
    {
        var sums = new double[weights.Length];
        var total = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            total += weights[i];
            sums[i] = total;
        }

        return sums;
    }

    private static int Pick(Random rng, double[] cumulative)
    {
        var x = rng.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        return Math.Min(i < 0 ? ~i : i + 1, cumulative.Length - 1);
    }
}
