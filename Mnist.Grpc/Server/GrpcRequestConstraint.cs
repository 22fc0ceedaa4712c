using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

/// <summary>Lets the catch-all UNIMPLEMENTED route match only gRPC content types (POST is required by metadata, so other verbs get 405), so other traffic still gets 404.</summary>
internal sealed class GrpcRequestConstraint : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is not null && ServerCallHandler.IsGrpcContentType(httpContext.Request.ContentType);
}
