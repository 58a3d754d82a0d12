using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace MeiLing.Api.Apis;

/// <summary>
/// A 200 whose JSON body was serialized before the answer (once for many reads, when it comes from a user grain's view):
/// the bytes go out as they are, with their length, where <c>Ok&lt;TValue&gt;</c> would serialize the value again on every
/// request. The value stays readable for the consoles, which show it rather than send it.
/// </summary>
public sealed class RenderedJson<TValue>(TValue value, ReadOnlyMemory<byte> utf8Json)
    : IResult, IValueHttpResult<TValue>, IValueHttpResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public TValue Value => value;

    object? IValueHttpResult.Value => value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        response.ContentLength = utf8Json.Length;
        return response.Body.WriteAsync(utf8Json, context.RequestAborted).AsTask();
    }

    // The OpenAPI document describes it as Ok<TValue> would.
    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
}
