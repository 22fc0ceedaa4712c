using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

/// <summary>Lets the catch-all UNIMPLEMENTED route match only gRPC requests, so other traffic still gets 404.</summary>
internal sealed class GrpcRequestConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is not null
        && HttpMethods.IsPost(httpContext.Request.Method)
        && ServerCallHandler.IsGrpcContentType(httpContext.Request.ContentType);
}
