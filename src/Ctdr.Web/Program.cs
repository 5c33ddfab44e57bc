using Ctdr.Application;
using Ctdr.Infrastructure;
using Ctdr.Web;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddApplication();
builder.Services.AddInfrastructure(builder.Configuration, builder.Environment.ContentRootPath);
builder.Services.AddWebServices(builder.Configuration);

var app = builder.Build();

await app.InitializeCtdrAsync();
app.UseCtdrPipeline();

await app.RunAsync();

/// <summary>The web host's entry point; public so functional tests can host it.</summary>
public partial class Program;
