namespace Serval.Core.Oip;

/// <summary>An Open Inference Protocol message that cannot be read: the message names what was wrong and where.</summary>
public sealed class OipException(string message) : Exception(message);
