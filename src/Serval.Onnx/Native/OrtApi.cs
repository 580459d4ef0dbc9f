using System.Runtime.InteropServices;

namespace Serval.Onnx.Native;

/// <summary>
/// The slots of the <c>OrtApi</c> function table Serval calls, by index (see the C header's
/// append-only struct order). Every call that returns an <c>OrtStatus*</c> goes through
/// <see cref="Check"/>, the one place that turns a status into an exception.
/// </summary>
internal static unsafe class OrtApi
{
    private static void* Slot(int index) => OrtLibrary.Api[index];

    /// <summary>Throws an <see cref="OrtException"/> carrying the native message when <paramref name="status"/> is not NULL.</summary>
    public static void Check(IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (OrtErrorCode)((delegate* unmanaged<IntPtr, int>)Slot(1))(status);
        // Copy the message before the status (which owns it) is released.
        string message = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr, IntPtr>)Slot(2))(status)) ?? "unknown ONNX Runtime error";
        ((delegate* unmanaged<IntPtr, void>)Slot(93))(status);
        throw new OrtException(code, message);
    }

    public static IntPtr CreateEnv(int logLevel, byte* logId)
    {
        IntPtr env;
        Check(((delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)Slot(3))(logLevel, logId, &env));
        return env;
    }

    public static IntPtr CreateSession(IntPtr env, byte* modelPath, IntPtr options)
    {
        IntPtr session;
        Check(((delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)Slot(7))(env, modelPath, options, &session));
        return session;
    }

    public static void Run(IntPtr session, IntPtr runOptions, IntPtr* inputNames, IntPtr* inputs, nuint inputCount,
        IntPtr* outputNames, nuint outputCount, IntPtr* outputs)
    {
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)Slot(9))(
            session, runOptions, inputNames, inputs, inputCount, outputNames, outputCount, outputs));
    }

    public static IntPtr CreateSessionOptions()
    {
        IntPtr options;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(10))(&options));
        return options;
    }

    public static void SetOptimizedModelFilePath(IntPtr options, byte* path) =>
        Check(((delegate* unmanaged<IntPtr, byte*, IntPtr>)Slot(11))(options, path));

    public static void SetSessionGraphOptimizationLevel(IntPtr options, int level) =>
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(23))(options, level));

    public static void SetIntraOpNumThreads(IntPtr options, int threads) =>
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(24))(options, threads));

    public static void SetInterOpNumThreads(IntPtr options, int threads) =>
        Check(((delegate* unmanaged<IntPtr, int, IntPtr>)Slot(25))(options, threads));

    public static nuint SessionGetInputCount(IntPtr session)
    {
        nuint count;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(30))(session, &count));
        return count;
    }

    public static nuint SessionGetOutputCount(IntPtr session)
    {
        nuint count;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(31))(session, &count));
        return count;
    }

    public static IntPtr SessionGetTypeInfo(IntPtr session, nuint index, bool input)
    {
        IntPtr info;
        Check(((delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)Slot(input ? 33 : 34))(session, index, &info));
        return info;
    }

    /// <summary>Returns a name allocated by <paramref name="allocator"/>; free it with <see cref="AllocatorFree"/>.</summary>
    public static IntPtr SessionGetName(IntPtr session, nuint index, bool input, IntPtr allocator)
    {
        IntPtr name;
        Check(((delegate* unmanaged<IntPtr, nuint, IntPtr, IntPtr*, IntPtr>)Slot(input ? 36 : 37))(session, index, allocator, &name));
        return name;
    }

    public static IntPtr CreateTensorAsOrtValue(IntPtr allocator, long* shape, nuint shapeLength, int elementType)
    {
        IntPtr value;
        Check(((delegate* unmanaged<IntPtr, long*, nuint, int, IntPtr*, IntPtr>)Slot(48))(allocator, shape, shapeLength, elementType, &value));
        return value;
    }

    public static IntPtr CreateTensorWithDataAsOrtValue(IntPtr memoryInfo, void* data, nuint byteLength, long* shape, nuint shapeLength, int elementType)
    {
        IntPtr value;
        Check(((delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)Slot(49))(
            memoryInfo, data, byteLength, shape, shapeLength, elementType, &value));
        return value;
    }

    public static bool IsTensor(IntPtr value)
    {
        int result;
        Check(((delegate* unmanaged<IntPtr, int*, IntPtr>)Slot(50))(value, &result));
        return result != 0;
    }

    public static void* GetTensorMutableData(IntPtr value)
    {
        void* data;
        Check(((delegate* unmanaged<IntPtr, void**, IntPtr>)Slot(51))(value, &data));
        return data;
    }

    public static void FillStringTensor(IntPtr value, IntPtr* strings, nuint count) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr*, nuint, IntPtr>)Slot(52))(value, strings, count));

    public static nuint GetStringTensorDataLength(IntPtr value)
    {
        nuint length;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(53))(value, &length));
        return length;
    }

    public static void GetStringTensorContent(IntPtr value, void* buffer, nuint bufferLength, nuint* offsets, nuint offsetCount) =>
        Check(((delegate* unmanaged<IntPtr, void*, nuint, nuint*, nuint, IntPtr>)Slot(54))(value, buffer, bufferLength, offsets, offsetCount));

    /// <summary>The result is owned by <paramref name="typeInfo"/> (never released), or NULL when it is not a tensor.</summary>
    public static IntPtr CastTypeInfoToTensorInfo(IntPtr typeInfo)
    {
        IntPtr info;
        Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Slot(55))(typeInfo, &info));
        return info;
    }

    public static int GetOnnxTypeFromTypeInfo(IntPtr typeInfo)
    {
        int type;
        Check(((delegate* unmanaged<IntPtr, int*, IntPtr>)Slot(56))(typeInfo, &type));
        return type;
    }

    public static int GetTensorElementType(IntPtr tensorInfo)
    {
        int type;
        Check(((delegate* unmanaged<IntPtr, int*, IntPtr>)Slot(60))(tensorInfo, &type));
        return type;
    }

    public static nuint GetDimensionsCount(IntPtr tensorInfo)
    {
        nuint count;
        Check(((delegate* unmanaged<IntPtr, nuint*, IntPtr>)Slot(61))(tensorInfo, &count));
        return count;
    }

    public static void GetDimensions(IntPtr tensorInfo, long* dims, nuint count) =>
        Check(((delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)Slot(62))(tensorInfo, dims, count));

    public static void GetSymbolicDimensions(IntPtr tensorInfo, IntPtr* names, nuint count) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr*, nuint, IntPtr>)Slot(63))(tensorInfo, names, count));

    /// <summary>A new info object: release it with <see cref="ReleaseTensorTypeAndShapeInfo"/>.</summary>
    public static IntPtr GetTensorTypeAndShape(IntPtr value)
    {
        IntPtr info;
        Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)Slot(65))(value, &info));
        return info;
    }

    public static IntPtr CreateCpuMemoryInfo()
    {
        IntPtr info;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0.
        Check(((delegate* unmanaged<int, int, IntPtr*, IntPtr>)Slot(69))(1, 0, &info));
        return info;
    }

    public static void AllocatorFree(IntPtr allocator, IntPtr pointer) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Slot(76))(allocator, pointer));

    /// <summary>The default CPU allocator: a singleton, never released.</summary>
    public static IntPtr GetAllocatorWithDefaultOptions()
    {
        IntPtr allocator;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(78))(&allocator));
        return allocator;
    }

    public static void ReleaseEnv(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(92))(p);

    public static void ReleaseMemoryInfo(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(94))(p);

    public static void ReleaseSession(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(95))(p);

    public static void ReleaseValue(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(96))(p);

    public static void ReleaseRunOptions(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(97))(p);

    public static void ReleaseTypeInfo(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(98))(p);

    public static void ReleaseTensorTypeAndShapeInfo(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(99))(p);

    public static void ReleaseSessionOptions(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(100))(p);

    public static IntPtr CreateRunOptions()
    {
        IntPtr options;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(39))(&options));
        return options;
    }

    public static void RunOptionsSetTerminate(IntPtr runOptions) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr>)Slot(46))(runOptions));

    public static void AddSessionConfigEntry(IntPtr options, byte* key, byte* value) =>
        Check(((delegate* unmanaged<IntPtr, byte*, byte*, IntPtr>)Slot(130))(options, key, value));

    public static IntPtr CreateCudaProviderOptions()
    {
        IntPtr options;
        Check(((delegate* unmanaged<IntPtr*, IntPtr>)Slot(205))(&options));
        return options;
    }

    public static void UpdateCudaProviderOptions(IntPtr cudaOptions, IntPtr* keys, IntPtr* values, nuint count) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr*, IntPtr*, nuint, IntPtr>)Slot(206))(cudaOptions, keys, values, count));

    public static void AppendCudaProvider(IntPtr options, IntPtr cudaOptions) =>
        Check(((delegate* unmanaged<IntPtr, IntPtr, IntPtr>)Slot(204))(options, cudaOptions));

    public static void ReleaseCudaProviderOptions(IntPtr p) => ((delegate* unmanaged<IntPtr, void>)Slot(208))(p);
}
