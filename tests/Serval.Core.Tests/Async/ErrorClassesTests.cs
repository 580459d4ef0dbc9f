using Serval.Core.Async;
using Serval.Core.Wire;

namespace Serval.Core.Tests.Async;

public class ErrorClassesTests
{
    [Theory]
    [InlineData(ErrorKind.FunctionError, true, ErrorClass.Function)]
    [InlineData(ErrorKind.BadInput, true, ErrorClass.Function)]
    [InlineData(ErrorKind.Timeout, true, ErrorClass.Timeout)]
    [InlineData(ErrorKind.InstanceFailed, true, ErrorClass.System)]
    [InlineData(ErrorKind.Unavailable, false, ErrorClass.System)]
    [InlineData(ErrorKind.Overloaded, false, ErrorClass.System)]
    // Waited for a slot past the deadline: capacity, not the function's fault.
    [InlineData(ErrorKind.Timeout, false, ErrorClass.System)]
    public void Of_MapsKindAndWhetherItRan(ErrorKind kind, bool ran, ErrorClass expected) =>
        Assert.Equal(expected, ErrorClasses.Of(kind, ran));

    [Theory]
    [InlineData(200, null)]
    [InlineData(302, null)]
    [InlineData(400, ErrorClass.Function)]
    [InlineData(503, ErrorClass.Function)]
    public void OfStatus_FunctionsOwnAnswer(int status, ErrorClass? expected) =>
        Assert.Equal(expected, ErrorClasses.OfStatus(status));
}
