global using System.Net;
global using System.Net.Http.Json;
global using MeiLing.Tests.Infrastructure;
global using Microsoft.Extensions.DependencyInjection;
global using Xunit;
