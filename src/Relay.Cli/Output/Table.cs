using System.Text;

namespace Relay.Cli.Output;

/// <summary>
/// An aligned text table for people: a header row, columns separated by two spaces, numbers
/// right-aligned, other cells left-aligned, no trailing spaces.
/// </summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly bool[] _numeric = new bool[headers.Length];

    public int Count => _rows.Count;

    /// <summary>Marks columns whose cells are right-aligned.</summary>
    public Table RightAlign(params int[] columns)
    {
        foreach (var column in columns)
        {
            _numeric[column] = true;
        }
        return this;
    }

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"{cells.Length} cells for {headers.Length} columns", nameof(cells));
        }
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = new int[headers.Length];
        for (var c = 0; c < headers.Length; c++)
        {
            widths[c] = headers[c].Length;
            foreach (var row in _rows)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        var text = new StringBuilder();
        Append(text, headers, widths);
        foreach (var row in _rows)
        {
            Append(text, row, widths);
        }
        return text.ToString();
    }

    private void Append(StringBuilder text, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var c = 0; c < cells.Length; c++)
        {
            if (c > 0)
            {
                line.Append("  ");
            }
            line.Append(_numeric[c] ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
