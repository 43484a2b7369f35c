using System.Runtime.CompilerServices;
using TorchSharp;

namespace RouteLLM.MLNet.TorchSharp.Tests;

internal static class OneTorchThread
{
    // The tests' tensors are tiny, and on a shared 2-core machine libtorch's second worker thread spends more time
    // waiting for a core than it saves (a test that takes 5 s on one thread took 56 s on two under load).
#pragma warning disable CA2255 // A test assembly is the place for a process-wide setting.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Use() => torch.set_num_threads(1);
}
