using Microsoft.Playwright;

namespace Mnist.Tests;

/// <summary>
/// Debian's Chromium, headless, driven by Playwright (no browser is ever downloaded). Missing chromium fails the
/// fixture, never skips it.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>How long a page action or expectation may take.</summary>
    public const float ActionTimeoutMs = 15_000;

    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, $"{ChromiumPath} is missing: install it with scripts/deps.sh test (apt package chromium).");
        Assertions.SetDefaultExpectTimeout(ActionTimeoutMs);
        var playwright = await Playwright.CreateAsync().WaitAsync(InferenceServer.Timeout);
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Timeout = (float)InferenceServer.Timeout.TotalMilliseconds,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
