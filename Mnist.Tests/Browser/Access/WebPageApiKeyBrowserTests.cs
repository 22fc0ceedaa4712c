using Microsoft.Playwright;

namespace Mnist.Tests.Browser.Access;

/// <summary>The page in headless Chromium against a server with API keys on: it asks for a key, then predicts with it.</summary>
[Category("Browser")]
[NonParallelizable]
public class WebPageApiKeyBrowserTests : ServerFixture
{
    private readonly ApiKeysFile _keys = new(("browser", ApiKeysFile.Alpha));
    private HeadlessChromium? _chromium;

    internal override Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync(settings: ("API_KEYS_FILE", _keys.Path));

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
        _keys.Dispose();
    }

    [Test]
    public async Task Page_KeysOn_AsksForAKeyAndWithItPredictsATestSample()
    {
        var page = await _chromium!.Browser.NewPageAsync();
        page.SetDefaultTimeout(HeadlessChromium.ActionTimeoutMs);
        await page.GotoAsync(Server.HttpAddress.ToString());

        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync();
        await page.Locator("#sample-load").ClickAsync();
        await Assertions.Expect(page.Locator("#error")).ToContainTextAsync("API key");

        await page.Locator("#api-key").FillAsync(ApiKeysFile.Alpha);
        await page.Locator("#key-use").ClickAsync();
        await Assertions.Expect(page.Locator("#key-form")).ToBeHiddenAsync();
        await page.Locator("#sample-id").FillAsync("0");
        await page.Locator("#sample-load").ClickAsync();
        await Assertions.Expect(page.Locator("#result-source")).ToContainTextAsync("test sample #0");
        await Assertions.Expect(page.Locator("#sample-image")).ToHaveJSPropertyAsync("naturalWidth", 28);

        Assert.That(await page.Locator("#result-digit").TextContentAsync(), Is.EqualTo(TestModel.TestSet.Labels[0].ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(await page.EvaluateAsync<string?>("sessionStorage.getItem('mnist-api-key')"), Is.EqualTo(ApiKeysFile.Alpha));
        Assert.That(await page.EvaluateAsync<int>("localStorage.length"), Is.Zero, "the key is never kept beyond the tab");
        Assert.That(await page.EvaluateAsync<string>("document.cookie"), Is.Empty);
    }

    [Test]
    public async Task Page_WrongKey_AsksAgain()
    {
        var page = await _chromium!.Browser.NewPageAsync();
        page.SetDefaultTimeout(HeadlessChromium.ActionTimeoutMs);
        await page.GotoAsync(Server.HttpAddress.ToString());
        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync();

        await page.Locator("#api-key").FillAsync("wrong-" + ApiKeysFile.Alpha);
        await page.Locator("#key-use").ClickAsync();

        await Assertions.Expect(page.Locator("#key-message")).ToContainTextAsync("did not accept");
        await Assertions.Expect(page.Locator("#key-form")).ToBeVisibleAsync();
    }
}
