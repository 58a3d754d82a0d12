namespace MeiLing.Bench.Http;

/// <summary>The API or PostgreSQL did not answer at all: the one failure that ends the run with a non-zero exit.</summary>
public sealed class SystemUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
