using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment;

/// <summary>Removes the published images once every test in Mnist.Tests.Deployment has run.</summary>
[SetUpFixture]
public sealed class DeploymentRunCleanup
{
    [OneTimeTearDown]
    public void DeletePublishedImages() => PublishedImages.DeleteAll();
}
