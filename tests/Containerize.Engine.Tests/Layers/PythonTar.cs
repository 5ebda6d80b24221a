using System.Text.Json;
using Containerize.TestSupport;

namespace Containerize.Engine.Tests.Layers;

/// <summary>Writes tar files with Python's tarfile, a writer we did not write: hostile layers for the extractor.</summary>
internal static class PythonTar
{
    /// <summary>One entry: type is file, dir, symlink, link, fifo or chr.</summary>
    public sealed record Entry(string Name, string Type = "file", string Content = "", string LinkName = "", int Mode = 0b110_100_100, int Uid = 0, int Gid = 0);

    private const string Script = """
        import io, json, sys, tarfile
        path, fmt, compress, entries = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
        types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "link": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "chr": tarfile.CHRTYPE}
        formats = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}
        with tarfile.open(path, "w:gz" if compress == "gz" else "w", format=formats[fmt]) as tar:
            for e in entries:
                info = tarfile.TarInfo(e["Name"])
                info.type = types[e["Type"]]
                info.mode, info.uid, info.gid, info.mtime = e["Mode"], e["Uid"], e["Gid"], 1000
                info.linkname = e["LinkName"]
                data = e["Content"].encode()
                if info.type == tarfile.REGTYPE:
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                else:
                    tar.addfile(info)
        """;

    public static string Write(string path, params Entry[] entries) => Write(path, "pax", gzip: false, entries);

    public static string Write(string path, string format, bool gzip, params Entry[] entries)
    {
        ExternalTool.RunChecked("python3", "-c", Script, path, format, gzip ? "gz" : "none", JsonSerializer.Serialize(entries));
        return path;
    }
}
