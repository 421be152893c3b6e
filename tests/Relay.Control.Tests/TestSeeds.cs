namespace Relay.Control.Tests;

/// <summary>Seeds 0..count-1 as theory data, for the tests that replay one scenario through many random paths.</summary>
internal static class TestSeeds
{
    public static TheoryData<int> Range(int count)
    {
        var data = new TheoryData<int>();
        for (var seed = 0; seed < count; seed++)
        {
            data.Add(seed);
        }
        return data;
    }
}
