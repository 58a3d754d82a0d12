using MeiLing.Grains.DataRights;

namespace MeiLing.Api.Apis;

/// <summary>
/// Writes the access bundle from its parts (<see cref="ExportPart"/>) as they arrive: opens the objects on a part's
/// path where the path first appears, closes them where it is left, and keeps a list open while the parts that
/// follow continue it. A writer holds the names on the path it is at, never what it has written.
/// </summary>
internal abstract class ExportDocumentWriter
{
    private readonly List<string> _openObjects = [];
    private string? _openList;
    private bool _listHasItems;

    public void Write(ExportPart part)
    {
        var parent = part.Path.Count - 1;
        var name = part.Path[^1];
        var continuesList = part.IsList && _openList == name && parent == _openObjects.Count && IsOpen(part.Path, parent);
        if (_openList is not null && !continuesList)
        {
            EndList(_openObjects.Count, _listHasItems);
            _openList = null;
        }

        var common = 0;
        while (common < _openObjects.Count && common < parent && _openObjects[common] == part.Path[common])
        {
            common++;
        }

        while (_openObjects.Count > common)
        {
            _openObjects.RemoveAt(_openObjects.Count - 1);
            EndObject(_openObjects.Count);
        }

        for (var depth = common; depth < parent; depth++)
        {
            StartObject(part.Path[depth], depth);
            _openObjects.Add(part.Path[depth]);
        }

        if (!part.IsList)
        {
            Value(name, part.Json[0], parent);
            return;
        }

        if (_openList is null)
        {
            StartList(name, parent);
            (_openList, _listHasItems) = (name, false);
        }

        foreach (var item in part.Json)
        {
            Item(item, first: !_listHasItems);
            _listHasItems = true;
        }
    }

    /// <summary>Closes what is open and ends the document: only once every part was written.</summary>
    public void Complete()
    {
        if (_openList is not null)
        {
            EndList(_openObjects.Count, _listHasItems);
            _openList = null;
        }

        while (_openObjects.Count > 0)
        {
            _openObjects.RemoveAt(_openObjects.Count - 1);
            EndObject(_openObjects.Count);
        }

        EndDocument();
    }

    /// <summary>Sends what the parts written so far made.</summary>
    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    // depth: how many objects are open around the name (0: a section of the bundle).
    protected abstract void StartObject(string name, int depth);

    protected abstract void EndObject(int depth);

    protected abstract void Value(string name, string json, int depth);

    protected abstract void StartList(string name, int depth);

    protected abstract void Item(string json, bool first);

    protected abstract void EndList(int depth, bool hadItems);

    protected abstract void EndDocument();

    private bool IsOpen(IReadOnlyList<string> path, int count)
    {
        for (var depth = 0; depth < count; depth++)
        {
            if (_openObjects[depth] != path[depth])
            {
                return false;
            }
        }

        return true;
    }
}
