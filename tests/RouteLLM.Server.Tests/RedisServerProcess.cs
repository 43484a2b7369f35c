using StackExchange.Redis;
using RouteLLM.Server.SharedState;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RouteLLM.Server.Tests;

/// <summary>
/// A throw-away <c>redis-server</c> on a free loopback port, without persistence, killed on dispose. Tests that need
/// one skip when <c>redis-server</c> is not on PATH, except under <c>CI=true</c>, where its absence fails them
/// (<c>.ci/run</c> installs Debian's redis-server).
/// </summary>
internal sealed class RedisServerProcess : IDisposable
{
    private Process? _process;

    private RedisServerProcess(string executable, int port)
    {
        Executable = executable;
        Port = port;
    }

    public string Executable { get; }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);
        if (executable is null)
        {
            const string why = "redis-server is not on PATH (apt-get install -y redis-server).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException("CI=true and " + why);
            }

            Skip.If(true, why);
        }

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new RedisServerProcess(executable!, port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        _process = Process.Start(new ProcessStartInfo(Executable, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>SIGKILL: the server vanishes without a goodbye, as a crashed Redis does.</summary>
    /// <summary>Today's global spend in this Redis, in USD, under the key prefix of <paramref name="replica"/>'s ledger.</summary>
    public async Task<decimal> GlobalSpendUsdAsync(IServiceProvider replica)
    {
        var key = replica.GetRequiredService<SpendLedger>().GlobalDayKey(DateTimeOffset.UtcNow);
        using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration);
        return (long)await connection.GetDatabase().StringGetAsync(key) / 1_000_000_000m;
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
