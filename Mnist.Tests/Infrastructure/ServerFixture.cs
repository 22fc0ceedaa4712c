namespace Mnist.Tests;

/// <summary>
/// A fixture whose tests share one real server: started before its first test, stopped after its last.
/// Override <see cref="StartServerAsync"/> for another configuration; a derived class's own [OneTimeTearDown]
/// runs before the server stops.
/// </summary>
public abstract class ServerFixture
{
    private InferenceServer? _server;

    internal InferenceServer Server => _server ?? throw new InvalidOperationException("the fixture's server has not started");

    [OneTimeSetUp]
    public async Task StartServer() => _server = await StartServerAsync();

    [OneTimeTearDown]
    public async Task StopServer()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>The shared server: by default with the test model and default settings.</summary>
    internal virtual Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync();
}
