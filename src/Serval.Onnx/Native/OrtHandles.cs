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
    protected override bool ReleaseHandle()
    {
        OrtApi.ReleaseSession(handle);
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
