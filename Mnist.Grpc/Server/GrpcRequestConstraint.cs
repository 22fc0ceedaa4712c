using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

/// <summary>
/// Lets the catch-all route match gRPC requests (by content type) and any request to a bound method's path (so other
/// verbs get 405 there); all other traffic falls through to the application's routes or 404.
/// </summary>
internal sealed class GrpcRequestConstraint(GrpcServiceRegistry registry) : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is not null
        && (ServerCallHandler.IsGrpcContentType(httpContext.Request.ContentType) || registry.TryGetMethod(httpContext.Request.Path, out _));
}
