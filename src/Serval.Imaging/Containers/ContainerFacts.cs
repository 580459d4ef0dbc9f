namespace Serval.Imaging.Containers;

/// <summary>
/// What the walk over a file's container found: the EXIF orientation (0 = none), and a message when the
/// data cannot hold the picture its header declares, to be thrown once the size has passed the limit.
/// </summary>
internal readonly record struct ContainerFacts(int Orientation, string? Shortfall = null);
