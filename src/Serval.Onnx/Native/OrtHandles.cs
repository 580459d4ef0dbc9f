using System.Runtime.InteropServices;

namespace Serval.Onnx.Native;

/// <summary>Base of the handles below: NULL is invalid, and each subclass releases its own native type.</summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(IntPtr pointer)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(pointer);

    public override bool IsInvalid => handle == IntPtr.Zero;
}

internal sealed class OrtEnvHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseEnv(handle);
        return true;
    }
}

internal sealed class OrtSessionOptionsHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSessionOptions(handle);
        return true;
    }
}

internal sealed class OrtSessionHandle(IntPtr p) : OrtHandle(p)
{
    /// <summary>
    /// Input and output names allocated by the default allocator for this session. They are freed
    /// with the session, not in <see cref="Serval.Onnx.InferenceSession.Dispose"/>: a run that still
    /// holds a reference to this handle passes them to ORT, and SafeHandle defers the release until
    /// that run lets go. Names are added as they are allocated, so a constructor that fails half-way
    /// frees the ones it got.
    /// </summary>
    public List<IntPtr> OwnedNames { get; } = [];

    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSession(handle);
        IntPtr allocator = OrtApi.GetAllocatorWithDefaultOptions();
        foreach (IntPtr name in OwnedNames)
        {
            try
            {
                OrtApi.AllocatorFree(allocator, name);
            }
            catch (OrtException)
            {
                // A release must not throw (it may run on the finalizer thread); freeing a name
                // with the allocator that made it does not fail.
            }
        }

        return true;
    }
}

internal sealed class OrtValueHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseValue(handle);
        return true;
    }
}

internal sealed class OrtMemoryInfoHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseMemoryInfo(handle);
        return true;
    }
}

internal sealed class OrtTypeInfoHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTypeInfo(handle);
        return true;
    }
}

internal sealed class OrtTensorInfoHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseTensorTypeAndShapeInfo(handle);
        return true;
    }
}

internal sealed class OrtRunOptionsHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseRunOptions(handle);
        return true;
    }
}

internal sealed class OrtCudaOptionsHandle(IntPtr p) : OrtHandle(p)
{
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseCudaProviderOptions(handle);
        return true;
    }
}
