using Microsoft.Playwright;

namespace Mnist.Tests.Browser.WebPage;

/// <summary>
/// The page in a real headless Chromium (Debian's, driven by Playwright; no browser is ever downloaded):
/// drawing, uploading and test samples end in a prediction on screen. Fails, never skips, without chromium.
/// </summary>
[NonParallelizable]
[Category("Browser")]
public class WebPageBrowserTests : ServerFixture
{
    private HeadlessChromium? _chromium;
    private readonly List<string> _pageErrors = [];

    [OneTimeSetUp]
    public async Task StartBrowser()
    {
        _chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopBrowser()
    {
        if (_chromium is not null)
        {
            await _chromium.DisposeAsync();
        }
    }

    private async Task<IPage> OpenAsync(InferenceServer? server = null, int width = 1200, int height = 900)
    {
        var page = await _chromium!.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        page.SetDefaultTimeout(HeadlessChromium.ActionTimeoutMs);
        page.PageError += (_, error) => _pageErrors.Add(error);
        page.Console += (_, message) =>
        {
            // Chromium logs every 4xx/5xx fetch; the page shows those itself. Anything else (CSP violations,
            // script errors) is a bug.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _pageErrors.Add(message.Text);
            }
        };
        await page.GotoAsync((server ?? Server).HttpAddress.ToString());
        await Assertions.Expect(page.Locator("#bars li")).ToHaveCountAsync(10);
        return page;
    }

    [TearDown]
    public void NoScriptErrors()
    {
        var errors = _pageErrors.ToArray();
        _pageErrors.Clear();
        Assert.That(errors, Is.Empty, "script errors or CSP violations on the page");
    }

    // Locator assertions poll from outside the page; string predicates would need eval, which the page's CSP forbids.
    private static Task WaitForPredictionAsync(IPage page, string source) =>
        Assertions.Expect(page.Locator("#result-source")).ToContainTextAsync(source);

    private static Task WaitForSampleImageAsync(IPage page) =>
        Assertions.Expect(page.Locator("#sample-image")).ToHaveJSPropertyAsync("naturalWidth", 28);

    [Test]
    public async Task Draw_VerticalStroke_ShowsPredictionOneWithBars()
    {
        var page = await OpenAsync();
        var pad = (await page.Locator("#pad").BoundingBoxAsync())!;

        await page.Mouse.MoveAsync(pad.X + pad.Width * 0.5f, pad.Y + pad.Height * 0.15f);
        await page.Mouse.DownAsync();
        for (var step = 1; step <= 20; step++)
        {
            await page.Mouse.MoveAsync(pad.X + pad.Width * 0.5f, pad.Y + pad.Height * (0.15f + 0.7f * step / 20));
        }

        await page.Mouse.UpAsync();
        await WaitForPredictionAsync(page, "drawing");

        Assert.That(await page.Locator("#result-digit").TextContentAsync(), Is.EqualTo("1"));
        Assert.That(await page.Locator("#result-confidence").TextContentAsync(), Does.Match(@"^\d+\.\d% confident$"));
        Assert.That(await page.Locator("#bars li.top .label").TextContentAsync(), Is.EqualTo("1"));
        Assert.That(await page.Locator("#error").IsHiddenAsync(), Is.True);
    }

    [TestCase(0)]
    [TestCase(1)]
    public async Task Upload_PngOfTestDigit_ShowsItsLabel(int index)
    {
        var page = await OpenAsync();

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = $"digit-{index}.png", MimeType = "image/png", Buffer = MnistTestDigits.Png(index) });
        await WaitForPredictionAsync(page, $"digit-{index}.png");

        Assert.That(await page.Locator("#result-digit").TextContentAsync(), Is.EqualTo(TestModel.TestSet.Labels[index].ToString()));
    }

    [Test]
    public async Task Upload_NotAnImage_ShowsTheServersMessage()
    {
        var page = await OpenAsync();

        await page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "notes.png", MimeType = "image/png", Buffer = "not an image"u8.ToArray() });
        await page.Locator("#error").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });

        Assert.That(await page.Locator("#error").TextContentAsync(), Is.Not.Empty);
    }

    [Test]
    public async Task TestSample_ByKeyboard_ShowsImageTrueLabelAndPrediction()
    {
        var page = await OpenAsync();

        await page.Locator("#sample-id").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("7");
        await page.Keyboard.PressAsync("Enter");
        await WaitForPredictionAsync(page, "test sample #7");
        await WaitForSampleImageAsync(page);

        Assert.That(await page.Locator("#sample-label").TextContentAsync(), Is.EqualTo(TestModel.TestSet.Labels[7].ToString()));
        Assert.That(await page.Locator("#result-digit").TextContentAsync(), Is.AnyOf(Enumerable.Range(0, 10).Select(d => d.ToString()).ToArray()));
        Assert.That(await page.Locator("#model-version").TextContentAsync(), Is.EqualTo(TestModel.Version[..12]));
        Assert.That(await page.Locator("#status").TextContentAsync(), Is.EqualTo("Serving"));
    }

    [Test]
    public async Task Screenshot_DesktopAndPhone_SavedAsArtifacts()
    {
        foreach (var (name, width, height) in new[] { ("desktop", 1200, 900), ("phone", 390, 844) })
        {
            var page = await OpenAsync(width: width, height: height);
            await page.Locator("#sample-random").ClickAsync();
            await WaitForPredictionAsync(page, "test sample #");
            await WaitForSampleImageAsync(page);
            await page.WaitForTimeoutAsync(400); // let the bars finish their 0.2 s transition
            var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"web-page-{name}.png");

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

            TestContext.AddTestAttachment(path, $"The web page, {name} ({width}x{height})");
            Assert.That(new FileInfo(path).Length, Is.GreaterThan(10_000));
            var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
            Assert.That(overflow, Is.False, $"the page scrolls sideways at {width}px");
        }
    }

    [Test]
    public async Task ModelCard_LoadedModel_ShowsAccuracyVersionAndBothPlots()
    {
        var page = await OpenAsync();
        var card = await Server.Client.GetModelAsync(new V1.GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        await Assertions.Expect(page.Locator("#card-body")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#plot-training-curve")).ToHaveJSPropertyAsync("naturalWidth", 640);
        await Assertions.Expect(page.Locator("#plot-confusion-matrix")).ToHaveJSPropertyAsync("naturalWidth", 640);

        Assert.That(await page.Locator("#card-accuracy").TextContentAsync(), Does.StartWith($"{card.TestAccuracy * 100:0.00}%"));
        Assert.That(await page.Locator("#card-version").TextContentAsync(), Is.EqualTo(TestModel.Version[..12]));
        Assert.That(await page.Locator("#card-date").TextContentAsync(), Does.Contain(card.CreatedTime.ToDateTimeOffset().Year.ToString()));
        Assert.That(await page.Locator("#card-confused button").CountAsync(), Is.EqualTo(card.MostConfused.Count));
        Assert.That(await page.Locator("#card-message").IsHiddenAsync(), Is.True);
    }

    [Test]
    public async Task ModelCard_MostConfusedLink_OpensThatSampleInTheTestSamplePanel()
    {
        var page = await OpenAsync();
        var card = await Server.Client.GetModelAsync(new V1.GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var confused = card.MostConfused[1];

        await page.Locator($"#card-confused button[data-id='{confused.Id}']").ClickAsync();
        await WaitForPredictionAsync(page, $"test sample #{confused.Id}");
        await WaitForSampleImageAsync(page);

        Assert.That(await page.Locator("#sample-id").InputValueAsync(), Is.EqualTo(confused.Id.ToString()));
        Assert.That(await page.Locator("#sample-label").TextContentAsync(), Is.EqualTo(confused.Label.ToString()));
        Assert.That(await page.Locator("#result-digit").TextContentAsync(), Is.EqualTo(confused.Predicted.ToString()));
        Assert.That(await page.Locator("#sample-verdict").TextContentAsync(), Does.Contain("wrongly"));
    }

    [Test]
    public async Task Screenshot_ModelCardOfAThreeEpochRun_SavedAsArtifact()
    {
        // A run of its own, so the curve has more than one point: the trainer publishes into the server's volume.
        await using var server = await InferenceServer.StartAsync(withModel: false);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await Mnist.Training.TrainerCommand.RunAsync(
            ["--data-dir", RepoPaths.MnistData, "--model-dir", server.ModelDir, "--limit", "3000", "--epochs", "3"], output, error, handleSignals: false)
            .WaitAsync(TimeSpan.FromMinutes(3));
        Assert.That(exitCode, Is.Zero, error.ToString());
        await server.WaitForModelAsync();
        var card = await server.Client.GetModelAsync(new V1.GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var page = await OpenAsync(server, width: 1200, height: 900);
        await Assertions.Expect(page.Locator("#plot-confusion-matrix")).ToHaveJSPropertyAsync("naturalWidth", 640);
        await Assertions.Expect(page.Locator("#plot-training-curve")).ToHaveJSPropertyAsync("naturalWidth", 640);
        await page.Locator($"#card-confused button[data-id='{card.MostConfused[0].Id}']").ClickAsync();
        await WaitForSampleImageAsync(page);
        await page.WaitForTimeoutAsync(800); // the smooth scroll and the bars' transition
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, "model-card.png");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        TestContext.AddTestAttachment(path, "The web page with the model card of a 3-epoch run (1200 px wide)");
        Assert.That(card.Epochs, Has.Count.EqualTo(3));
        Assert.That(await page.Locator("#card-training").TextContentAsync(), Does.StartWith("3 epoch(s) on 3000 images"));
        Assert.That(new FileInfo(path).Length, Is.GreaterThan(50_000));
    }

    [Test]
    public async Task ModelCard_ServerWithoutModel_SaysThereIsNone()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var page = await OpenAsync(server);

        await Assertions.Expect(page.Locator("#card-message")).ToContainTextAsync("No model is loaded");

        Assert.That(await page.Locator("#card-body").IsHiddenAsync(), Is.True);
    }

    [Test]
    public async Task Page_ServerWithoutModel_SaysNotServing()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var page = await OpenAsync(server);

        await Assertions.Expect(page.Locator("#status")).ToHaveAttributeAsync("data-state", "down");

        Assert.That(await page.Locator("#status").TextContentAsync(), Does.StartWith("Not serving"));
    }
}
