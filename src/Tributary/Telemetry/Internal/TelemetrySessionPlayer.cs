using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Tributary.Demo;

namespace Tributary.Telemetry.Internal;

/// <summary>
/// Plays one session of one device as Sunbird clients instrument it, and returns its events in time order: START of the app
/// (or portal session), IMPRESSIONs of pages, INTERACTs, SEARCHes, content plays (START, page IMPRESSIONs and INTERACTs,
/// RESPONSE and ASSESS for quizzes, END), FEEDBACK, SHARE, profile AUDITs, api_access LOGs of the portal, ERRORs,
/// INTERRUPTs of the mobile app, HEARTBEATs of the desktop app, then END. Events at or after the period's end are cut.
/// </summary>
/// <remarks>
/// Deterministic: the events depend only on the population, the seed and the <see cref="SessionPlan"/>, so the planner can
/// play a session to learn its shape and the writer can play it again for its JSON. Not thread-safe (one buffer).
/// </remarks>
internal sealed class TelemetrySessionPlayer : IDisposable
{
    private const int MaxSteps = 25;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly (string Page, string Uri, string Env)[] Pages =
    [
        ("library", "/resources", "library"), ("explore", "/explore", "explore"), ("courses", "/learn", "course"),
        ("groups", "/my-groups", "groups"), ("all-content", "/explore/1", "explore"), ("downloads", "/mydownloads", "downloads"),
    ];

    private static readonly (string Agent, string Ver, string System, string Platform, string Raw)[] Browsers =
    [
        ("Chrome", "124.0.0.0", "Windows", "WebKit", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
        ("Chrome", "123.0.0.0", "Android", "WebKit", "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Mobile Safari/537.36"),
        ("Firefox", "125.0", "Linux", "Gecko", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
        ("Safari", "17.4", "Mac OS", "WebKit", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"),
        ("Edge", "124.0.0.0", "Windows", "WebKit", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"),
    ];

    private static readonly (string Os, string Make, string Cpu, double Screen)[] Phones =
    [
        ("Android 10", "Samsung SM-A105F", "abi: arm64-v8a processor: AArch64 Processor rev 4 (aarch64)", 6.2),
        ("Android 11", "Xiaomi Redmi Note 9", "abi: arm64-v8a processor: AArch64 Processor rev 1 (aarch64)", 6.5),
        ("Android 12", "Vivo V2027", "abi: arm64-v8a processor: AArch64 Processor rev 4 (aarch64)", 6.5),
        ("Android 9", "Lava Z61", "abi: armeabi-v7a processor: ARMv7 Processor rev 4 (v7l)", 5.45),
        ("Android 13", "Realme RMX3511", "abi: arm64-v8a processor: AArch64 Processor rev 0 (aarch64)", 6.4),
    ];

    private static readonly (string Type, string Err, string Stack)[] Errors =
    [
        ("API", "SERVER_ERROR", "Error: Request failed with status code 500\n    at createError (main.js:1:23456)\n    at settle (main.js:1:24790)"),
        ("NETWORK", "NETWORK_ERROR", "Error: Network Error\n    at e.exports (vendor.js:1:44120)\n    at XMLHttpRequest.onerror (vendor.js:1:43311)"),
        ("SYSTEM", "TypeError", "TypeError: Cannot read properties of undefined (reading 'identifier')\n    at t.getContent (main.js:1:88213)"),
        ("CONTENT", "Missing PDF", "Error\n    at MissingPDFExceptionClosure (pdf-viewer.js:1:2311)"),
    ];

    private static readonly string[] VideoActions = ["play", "pause", "seek", "play"];

    private static readonly string[] Comments = ["", "", "Very useful", "Good explanation", "Video not clear", "Too long"];

    private static readonly string[] ProfileFields = ["firstName", "lastName", "framework", "location", "profileUserType", "email", "phone"];

    private readonly TelemetryPopulation _population;
    private readonly int _seed;
    private readonly long _toMs;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    private Random _rng = null!;
    private SessionPlan _plan;
    private TelemetryDevice _device = null!;
    private List<SessionEvent> _events = null!;
    private string _actorId = "";
    private string _channel = "";
    private string _sid = "";
    private string _page = "";
    private long _t;
    private TelemetryContent? _playing;
    private string? _contentSession;
    private string? _playSession;
    private string _eid = "";
    private long _ets;

    public TelemetrySessionPlayer(TelemetryPopulation population, int seed, long toMs)
    {
        _population = population;
        _seed = seed;
        _toMs = toMs;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    private bool SignedIn => _device.User >= 0;

    private bool IsPortal => _device.Platform == ClientPlatform.Portal;

    /// <summary>The session's events with <c>ets</c> before the period's end, in time order (at least its START).</summary>
    public List<SessionEvent> Play(SessionPlan plan)
    {
        _plan = plan;
        _rng = new Random(plan.Seed);
        _device = _population.Devices[plan.Device];
        _events = [];
        _t = plan.StartMs;
        _channel = _population.Channels[_device.Channel].Id;
        _actorId = SignedIn ? _population.Users[_device.User].Id : IsPortal ? "anonymous" : _device.Did;
        _sid = IsPortal ? Alphanumeric(32) : DemoRandom.Guid(_rng);
        _page = "home";
        _playing = null;

        StartApp();
        var steps = 1;
        while (steps < MaxSteps && _rng.NextDouble() < 0.82)
        {
            steps++;
        }

        for (var s = 0; s < steps && _t < _toMs; s++)
        {
            var step = DemoRandom.Weighted(_rng, [
                ("browse", 30.0), ("search", 20.0), ("play", 30.0), ("profile", SignedIn ? 5.0 : 0.0), ("error", 4.0),
                ("interrupt", _device.Platform == ClientPlatform.App ? 6.0 : 0.0), ("heartbeat", _device.Platform == ClientPlatform.Desktop ? 6.0 : 0.0),
            ]);
            switch (step)
            {
                case "browse":
                    Browse();
                    break;
                case "search":
                    var found = Search();
                    if (found is not null && _rng.NextDouble() < 0.6)
                    {
                        PlayContent(found);
                    }

                    break;
                case "play":
                    PlayContent(_population.PickResource(_rng));
                    break;
                case "profile":
                    Profile();
                    break;
                case "error":
                    Error(Errors[_rng.Next(3)]);
                    break;
                case "interrupt":
                    Interrupt();
                    break;
                default:
                    Heartbeat();
                    break;
            }
        }

        EndApp();
        var kept = _events.FindIndex(e => e.Ets >= _toMs);
        if (kept >= 0)
        {
            _events.RemoveRange(kept, _events.Count - kept);
        }

        return _events;
    }

    public void Dispose() => _writer.Dispose();

    private void StartApp()
    {
        var w = Begin("START", "home", player: false);
        w.WriteString("type", IsPortal ? "session" : "app");
        if (IsPortal)
        {
            var b = Browsers[_device.Variant % Browsers.Length];
            w.WriteStartObject("uaspec");
            w.WriteString("agent", b.Agent);
            w.WriteString("ver", b.Ver);
            w.WriteString("system", b.System);
            w.WriteString("platform", b.Platform);
            w.WriteString("raw", b.Raw);
            w.WriteEndObject();
        }
        else
        {
            WriteDspec(w);
        }

        w.WriteNumber("duration", Seconds(0.4, 6));
        End();
        Wait(2);
        Impression("view", "home", IsPortal ? "/home" : "home", "home");
        if (IsPortal && SignedIn)
        {
            ApiLog("learner-service", "GET", $"/learner/user/v5/read/{_actorId}?fields=organisations,roles,locations");
            ApiLog("learner-service", "GET", $"/learner/course/v1/user/enrollment/list/{_actorId}");
        }
    }

    private void EndApp()
    {
        Wait(5);
        var w = Begin("END", "home", player: false);
        w.WriteString("type", IsPortal ? "session" : "app");
        w.WriteString("mode", "");
        w.WriteString("pageid", _page);
        w.WriteNumber("duration", Math.Round((_t - _plan.StartMs) / 1000.0, 3));
        End();
    }

    private void Browse()
    {
        var (page, uri, env) = DemoRandom.Pick(_rng, Pages);
        Wait(8);
        Interact(IsPortal ? "click" : "TOUCH", page + "-tab", env);
        Wait(1);
        Impression("view", page, IsPortal ? uri : page, env);
        if (IsPortal)
        {
            // A portal page loads its sections through several API calls, each logged.
            for (var call = _rng.Next(1, 4); call > 0; call--)
            {
                ApiLog("content-service", "POST", "/api/content/v1/search");
            }

            ApiLog("learner-service", "GET", "/api/data/v1/form/read");
        }
    }

    private TelemetryContent? Search()
    {
        var target = _population.PickResource(_rng);
        var query = _rng.NextDouble() < 0.5 ? target.Topic : $"{target.Topic} class {target.Grade}";
        var env = IsPortal ? "library" : "home";
        Wait(10);
        Interact(IsPortal ? "click" : "TOUCH", "search-button", env);
        if (IsPortal)
        {
            ApiLog("content-service", "POST", "/api/content/v1/search");
        }

        Wait(1);
        var size = _rng.NextDouble() < 0.08 ? 0 : _rng.Next(1, 240);
        var top = new List<TelemetryContent>();
        if (size > 0)
        {
            top.Add(target);
            while (top.Count < Math.Min(size, 5))
            {
                top.Insert(_rng.Next(top.Count + 1), _population.PickResource(_rng));
            }
        }

        var w = Begin("SEARCH", env, player: false);
        w.WriteString("type", "content");
        w.WriteString("query", query);
        w.WriteStartObject("filters");
        w.WriteStartArray("primaryCategory");
        w.WriteStringValue(_rng.NextDouble() < 0.7 ? "Learning Resource" : "Course");
        w.WriteEndArray();
        w.WriteStartArray("se_gradeLevels");
        w.WriteStringValue($"Class {target.Grade}");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("sort");
        w.WriteEndObject();
        w.WriteString("correlationid", TelemetryIds.Uuid(_seed, TelemetryIds.Key(IdKind.Correlation, _plan.Index, _events.Count)));
        w.WriteNumber("size", size);
        w.WriteStartArray("topn");
        foreach (var c in top)
        {
            w.WriteStartObject();
            w.WriteString("identifier", c.Id);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        End();
        Wait(1);
        var i = Begin("IMPRESSION", env, player: false);
        i.WriteString("type", "search");
        i.WriteString("pageid", "search-results");
        i.WriteString("uri", IsPortal ? "/search/Library/1?key=" + Uri.EscapeDataString(query) : "search-results");
        i.WriteNumber("duration", Seconds(0.2, 3));
        i.WriteStartArray("visits");
        for (var k = 0; k < top.Count; k++)
        {
            i.WriteStartObject();
            i.WriteString("objid", top[k].Id);
            i.WriteString("objtype", "Resource");
            i.WriteNumber("index", k);
            i.WriteEndObject();
        }

        i.WriteEndArray();
        End();
        _page = "search-results";
        return top.Count > 0 ? target : null;
    }

    private void PlayContent(TelemetryContent content)
    {
        var env = IsPortal ? "library" : "home";
        Wait(6);
        var d = Begin("IMPRESSION", env, player: false, content);
        d.WriteString("type", "detail");
        d.WriteString("pageid", "content-details");
        d.WriteString("uri", IsPortal ? "/resources/play/content/" + content.Id : "content-details");
        d.WriteNumber("duration", Seconds(0.3, 4));
        End();
        _page = "content-details";
        if (IsPortal)
        {
            ApiLog("content-service", "GET", "/api/content/v1/read/" + content.Id);
        }

        Wait(5);
        Interact(IsPortal ? "click" : "TOUCH", "content-play", env, content);

        _playing = content;
        _contentSession = TelemetryIds.Hex32(_seed, TelemetryIds.Key(IdKind.ContentSession, _plan.Index, _events.Count));
        _playSession = TelemetryIds.Hex32(_seed, TelemetryIds.Key(IdKind.PlaySession, _plan.Index, _events.Count));
        var started = _t;
        Wait(2);
        var s = Begin("START", "contentplayer", player: true, content);
        s.WriteString("type", "content");
        s.WriteString("mode", "play");
        s.WriteString("pageid", "");
        s.WriteNumber("duration", Seconds(0.5, 8));
        End();

        var video = content.Mime.StartsWith("video/", StringComparison.Ordinal);
        var pages = video ? 1 : _rng.Next(2, 13);
        var seen = 0;
        var abandoned = false;
        for (var p = 1; p <= pages + content.Questions && !abandoned; p++)
        {
            seen = p;
            Wait(video ? 40 : 12);
            var pageId = p.ToString(CultureInfo.InvariantCulture);
            var i = Begin("IMPRESSION", "contentplayer", player: true, content);
            i.WriteString("type", "workflow");
            i.WriteString("pageid", pageId);
            i.WriteString("uri", "");
            End();
            if (p > pages)
            {
                Question(content, p - pages);
            }

            if (video)
            {
                foreach (var action in VideoActions.Take(_rng.Next(1, 5)))
                {
                    Wait(30);
                    Interact("TOUCH", action, "contentplayer", content, pageId);
                }
            }
            else
            {
                Wait(3);
                Interact("TOUCH", "next", "contentplayer", content, pageId);
            }

            abandoned = _rng.NextDouble() < 0.04;
        }

        if (content.Mime == "application/pdf" && _rng.NextDouble() < 0.03)
        {
            Error(Errors[3]);
        }

        Wait(2);
        var total = pages + content.Questions;
        var e = Begin("END", "contentplayer", player: true, content);
        e.WriteString("type", "content");
        e.WriteString("mode", "play");
        e.WriteString("pageid", abandoned ? seen.ToString(CultureInfo.InvariantCulture) : "sunbird-player-Endpage");
        e.WriteNumber("duration", Math.Round((_t - started) / 1000.0, 3));
        e.WriteStartArray("summary");
        Summary(e, "progress", Math.Round(100.0 * seen / total, 0));
        Summary(e, "totallength", total);
        Summary(e, "visitedlength", seen);
        e.WriteStartObject();
        e.WriteBoolean("endpageseen", !abandoned);
        e.WriteEndObject();
        e.WriteEndArray();
        End();
        if (IsPortal && SignedIn && content.CollectionType == "Course")
        {
            ApiLog("learner-service", "PATCH", "/api/course/v1/content/state/update");
        }

        _playing = null;
        _page = "content-details";

        if (!abandoned && _rng.NextDouble() < 0.15)
        {
            Wait(4);
            var f = Begin("FEEDBACK", env, player: false, content);
            f.WriteNumber("rating", DemoRandom.Weighted(_rng, [(5, 40.0), (4, 30.0), (3, 15.0), (2, 7.0), (1, 8.0)]));
            f.WriteString("comments", DemoRandom.Pick(_rng, Comments));
            End();
        }

        if (_rng.NextDouble() < 0.05)
        {
            Wait(3);
            Interact(IsPortal ? "click" : "TOUCH", "share-content", env, content);
            var sh = Begin("SHARE", env, player: false, content);
            sh.WriteString("dir", "out");
            sh.WriteString("type", IsPortal ? "Link" : "File");
            sh.WriteStartArray("items");
            sh.WriteStartObject();
            sh.WriteString("id", content.Id);
            sh.WriteString("type", "Content");
            sh.WriteString("ver", content.Ver);
            sh.WriteEndObject();
            sh.WriteEndArray();
            End();
        }
    }

    private void Question(TelemetryContent content, int index)
    {
        var item = "do_" + content.Id[3..6] + TelemetryPopulation.Digits(_rng, 19);
        var option = _rng.Next(1, 5);
        var correct = _rng.NextDouble() < 0.65;
        Wait(15);
        var r = Begin("RESPONSE", "contentplayer", player: true, content);
        r.WriteStartObject("target");
        r.WriteString("id", item);
        r.WriteString("ver", "1.0");
        r.WriteString("type", "AssessmentItem");
        r.WriteEndObject();
        r.WriteString("type", "CHOOSE");
        r.WriteStartArray("values");
        r.WriteStartObject();
        r.WriteString("option" + option.ToString(CultureInfo.InvariantCulture), $"<p>Option {option}</p>");
        r.WriteEndObject();
        r.WriteEndArray();
        End();
        Wait(1);
        var a = Begin("ASSESS", "contentplayer", player: true, content);
        a.WriteStartObject("item");
        a.WriteString("id", item);
        a.WriteNumber("maxscore", 1);
        a.WriteString("type", "mcq");
        a.WriteString("title", $"{content.Topic} question {index}");
        a.WriteEndObject();
        a.WriteNumber("index", index);
        a.WriteString("pass", correct ? "Yes" : "No");
        a.WriteNumber("score", correct ? 1 : 0);
        a.WriteStartArray("resvalues");
        a.WriteStartObject();
        a.WriteString(option.ToString(CultureInfo.InvariantCulture), $"{{\"text\":\"Option {option}\"}}");
        a.WriteEndObject();
        a.WriteEndArray();
        a.WriteNumber("duration", Seconds(3, 60));
        End();
    }

    private void Profile()
    {
        Wait(10);
        Impression("view", "profile-page", IsPortal ? "/profile" : "profile", "user");
        Wait(8);
        Interact(IsPortal ? "click" : "TOUCH", "edit-profile", "user");
        Wait(30);
        if (IsPortal)
        {
            ApiLog("learner-service", "PATCH", "/learner/user/v3/update");
        }

        var changed = ProfileFields.Where(_ => _rng.NextDouble() < 0.3).DefaultIfEmpty(ProfileFields[0]).ToList();
        var w = Begin("AUDIT", "user", player: false, user: true);
        w.WriteString("type", "updated");
        w.WriteStartArray("props");
        foreach (var field in changed)
        {
            w.WriteStringValue(field);
        }

        w.WriteEndArray();
        w.WriteString("state", "Updated");
        w.WriteString("prevstate", "Created");
        End();
    }

    private void Error((string Type, string Err, string Stack) error)
    {
        Wait(3);
        var w = Begin("ERROR", _playing is null ? "home" : "contentplayer", player: _playing is not null, _playing);
        w.WriteString("err", error.Err);
        w.WriteString("errtype", error.Type);
        w.WriteString("stacktrace", error.Stack);
        w.WriteString("pageid", _page);
        End();
    }

    private void Interrupt()
    {
        Wait(10);
        var w = Begin("INTERRUPT", "home", player: false);
        w.WriteString("type", "background");
        w.WriteString("pageid", _page);
        End();
        Wait(180);
        w = Begin("INTERRUPT", "home", player: false);
        w.WriteString("type", "resume");
        w.WriteString("pageid", _page);
        End();
    }

    private void Heartbeat()
    {
        Wait(60);
        var w = Begin("HEARTBEAT", "home", player: false);
        w.WriteString("mode", _rng.NextDouble() < 0.8 ? "online" : "offline");
        End();
    }

    private void Impression(string type, string page, string uri, string env)
    {
        var w = Begin("IMPRESSION", env, player: false);
        w.WriteString("type", type);
        w.WriteString("pageid", page);
        w.WriteString("uri", uri);
        w.WriteNumber("duration", Seconds(0.2, 4));
        End();
        _page = page;
    }

    private void Interact(string type, string id, string env, TelemetryContent? content = null, string? page = null)
    {
        var w = Begin("INTERACT", env, player: content is not null && env == "contentplayer", content);
        w.WriteString("type", type);
        w.WriteString("id", id);
        w.WriteString("pageid", page ?? _page);
        End();
    }

    private void ApiLog(string env, string method, string url)
    {
        _t += _rng.Next(20, 900);
        var w = Begin("LOG", env, player: false);
        w.WriteString("type", "api_access");
        w.WriteString("level", "INFO");
        w.WriteString("message", "");
        w.WriteStartArray("params");
        w.WriteStartObject();
        w.WriteString("url", url);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("protocol", "https");
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("method", method);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteEndObject();
        w.WriteEndArray();
        End();
    }

    private void WriteDspec(Utf8JsonWriter w)
    {
        w.WriteStartObject("dspec");
        if (_device.Platform == ClientPlatform.Desktop)
        {
            w.WriteString("os", "Windows 10");
            w.WriteString("make", "");
            w.WriteString("id", _device.Did);
            w.WriteString("cpu", "Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz");
            w.WriteNumber("mem", 8192);
        }
        else
        {
            var phone = Phones[_device.Variant % Phones.Length];
            w.WriteString("os", phone.Os);
            w.WriteString("make", phone.Make);
            w.WriteString("id", _device.Did);
            w.WriteNumber("mem", -1);
            w.WriteNumber("idisk", -1);
            w.WriteNumber("edisk", -1);
            w.WriteNumber("scrn", phone.Screen);
            w.WriteString("camera", "");
            w.WriteString("cpu", phone.Cpu);
            w.WriteNumber("sims", -1);
            w.WriteStartArray("cap");
            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes the envelope of an event at the current time and opens its edata; <see cref="End"/> closes it.</summary>
    private Utf8JsonWriter Begin(string eid, string env, bool player, TelemetryContent? content = null, bool user = false)
    {
        _eid = eid;
        _ets = _t;
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        var w = _writer;
        var v31 = !IsPortal;
        w.WriteStartObject();
        w.WriteString("eid", eid);
        w.WriteNumber("ets", _t);
        w.WriteString("ver", v31 ? "3.1" : "3.0");
        w.WriteString("mid", eid + ":" + TelemetryIds.Hex32(_seed, TelemetryIds.Key(IdKind.Event, _plan.Index, _events.Count)));
        w.WriteStartObject("actor");
        w.WriteString("id", _actorId);
        w.WriteString("type", "User");
        w.WriteEndObject();

        w.WriteStartObject("context");
        w.WriteString("channel", _channel);
        w.WriteStartObject("pdata");
        var (id, pid) = _device.Platform switch
        {
            ClientPlatform.Portal => ("prod.sunbird.portal", "sunbird-portal"),
            ClientPlatform.App => ("prod.sunbird.app", "sunbird.app"),
            _ => ("prod.sunbird.desktop", "sunbird.desktop"),
        };
        w.WriteString("id", id);
        w.WriteString("ver", _device.ClientVersion);
        w.WriteString("pid", player ? pid + ".contentplayer" : pid);
        if (v31)
        {
            w.WriteString("platform", _device.Platform == ClientPlatform.App ? "Android" : "Windows");
        }

        w.WriteEndObject();
        w.WriteString("env", env);
        w.WriteString("sid", _sid);
        w.WriteString("did", _device.Did);
        w.WriteStartArray("cdata");
        Cdata(w, _device.Platform == ClientPlatform.Portal ? "Desktop" : "Mobile", "Device");
        Cdata(w, _sid, "UserSession");
        if (player && _contentSession is not null)
        {
            Cdata(w, _contentSession, "ContentSession");
            Cdata(w, _playSession!, "PlaySession");
            if (content?.CollectionType == "Course")
            {
                Cdata(w, content.Collection!, "course");
            }
        }

        w.WriteEndArray();
        w.WriteStartObject("rollup");
        w.WriteString("l1", _channel);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("object");
        if (content is not null)
        {
            w.WriteString("id", content.Id);
            w.WriteString("type", content.Type);
            w.WriteString("ver", content.Ver);
            if (content.Collection is not null)
            {
                w.WriteStartObject("rollup");
                w.WriteString("l1", content.Collection);
                w.WriteEndObject();
            }
        }
        else if (user)
        {
            w.WriteString("id", _actorId);
            w.WriteString("type", "User");
        }

        w.WriteEndObject();
        w.WriteStartArray("tags");
        w.WriteStringValue(_channel);
        w.WriteEndArray();
        w.WriteStartObject("edata");
        return w;
    }

    private void End()
    {
        _writer.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        _events.Add(new SessionEvent(_eid, _ets, Encoding.UTF8.GetString(_buffer.WrittenSpan)));
    }

    private static void Cdata(Utf8JsonWriter w, string id, string type)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", type);
        w.WriteEndObject();
    }

    private static void Summary(Utf8JsonWriter w, string name, double value)
    {
        w.WriteStartObject();
        w.WriteNumber(name, value);
        w.WriteEndObject();
    }

    /// <summary>Moves the clock on by an exponential wait of mean <paramref name="meanSeconds"/> (at least 100 ms, at most 20 means).</summary>
    private void Wait(double meanSeconds) =>
        _t += (long)Math.Clamp(-Math.Log(1 - _rng.NextDouble()) * meanSeconds * 1000, 100, meanSeconds * 20_000);

    private double Seconds(double min, double max) => Math.Round(min + (_rng.NextDouble() * (max - min)), 3);

    private string Alphanumeric(int count)
    {
        const string Chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var sb = new StringBuilder(count);
        for (var i = 0; i < count; i++)
        {
            sb.Append(Chars[_rng.Next(Chars.Length)]);
        }

        return sb.ToString();
    }
}
