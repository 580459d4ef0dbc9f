namespace Serval.Instance.Runtimes;

/// <summary>The function cannot be loaded; the message is the one line printed after <c>SERVAL-FAILED</c>.</summary>
internal sealed class InstanceLoadException(string message, Exception? inner = null) : Exception(message, inner);
