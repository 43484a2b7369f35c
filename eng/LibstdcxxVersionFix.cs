// Compiled twice: by MSBuild's RoslynCodeTaskFactory when a build copies libLibTorchSharp.so
// (RouteLLM.MLNet.TorchSharp.targets), and into RouteLLM.MLNet.TorchSharp.Tests, which check the decision.
// Plain C# on purpose: the task factory compiles against netstandard.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace RouteLLM.MLNet.TorchSharp.Build
{
    /// <summary>
    /// Marks as weak each libstdc++ symbol version that a native library asks for but the system libstdc++ lacks,
    /// when no relocation binds a symbol of that version; leaves the file untouched when nothing is missing.
    /// </summary>
    public sealed class WeakenMissingLibstdcxxVersions : Microsoft.Build.Utilities.Task
    {
        /// <summary>The native libraries to check and, when needed, patch in place.</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Where to look for the system's libstdc++.so.6, in order.</summary>
        public string[] SearchDirectories { get; set; } = LibstdcxxVersionFix.DefaultSearchDirectories;

        /// <inheritdoc/>
        public override bool Execute()
        {
            var system = LibstdcxxVersionFix.FindSystemLibstdcxx(SearchDirectories);
            if (system == null)
            {
                Log.LogMessage(MessageImportance.Normal, "No system libstdc++.so.6 found; native libraries left as they are.");
                return true;
            }

            var provided = ElfVersions.ReadDefinedVersions(File.ReadAllBytes(system));
            foreach (var file in Files)
            {
                var path = file.GetMetadata("FullPath");
                try
                {
                    var weakened = LibstdcxxVersionFix.Apply(path, provided);
                    if (weakened.Count > 0)
                    {
                        Log.LogMessage(MessageImportance.High,
                            "{0}: marked {1} weak ({2} lacks them; no relocation needs them).", path, string.Join(", ", weakened), system);
                    }
                }
                catch (InvalidDataException e)
                {
                    Log.LogError("{0}: cannot run with {1}: {2}", path, system, e.Message);
                }
            }

            return !Log.HasLoggedErrors;
        }
    }

    /// <summary>The decision and the patch, without MSBuild.</summary>
    public static class LibstdcxxVersionFix
    {
        /// <summary>The DT_NEEDED name whose version requirements may be weakened.</summary>
        public const string Libstdcxx = "libstdc++.so.6";

        /// <summary>Library directories of Debian/Ubuntu, Fedora/RHEL and others, in the loader's usual order.</summary>
        public static readonly string[] DefaultSearchDirectories =
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        };

        /// <summary>The first libstdc++.so.6 in <paramref name="directories"/>, or null.</summary>
        public static string? FindSystemLibstdcxx(IEnumerable<string> directories) =>
            directories.Select(d => Path.Combine(d, Libstdcxx)).FirstOrDefault(File.Exists);

        /// <summary>
        /// The libstdc++ versions of <paramref name="image"/> to mark weak: those required, not yet weak and not in
        /// <paramref name="provided"/>. Empty when the system libstdc++ is new enough.
        /// </summary>
        /// <exception cref="InvalidDataException">A missing version is bound by a relocation, so weakening it cannot help.</exception>
        public static IReadOnlyList<VersionRequirement> Plan(byte[] image, ISet<string> provided)
        {
            var missing = ElfVersions.ReadRequirements(image, Libstdcxx).Where(r => !r.IsWeak && !provided.Contains(r.Name)).ToList();
            foreach (var requirement in missing)
            {
                var bound = ElfVersions.SymbolsRelocatedWithVersion(image, requirement.Index);
                if (bound.Count > 0)
                {
                    throw new InvalidDataException(
                        $"it needs {string.Join(", ", bound.Select(s => s + "@" + requirement.Name))} from a newer libstdc++ (GCC 13 or later).");
                }
            }

            return missing;
        }

        /// <summary>Applies <see cref="Plan"/> to a file, in place and keeping its timestamp; returns the versions weakened.</summary>
        public static IReadOnlyList<string> Apply(string path, ISet<string> provided)
        {
            var image = File.ReadAllBytes(path);
            var plan = Plan(image, provided);
            if (plan.Count == 0)
            {
                return Array.Empty<string>();
            }

            // Patch a copy (same mode) and move it into place, so that a process that has the library open keeps
            // its old file. Keeping the timestamp lets MSBuild's incremental copy treat the result as up to date.
            var written = File.GetLastWriteTimeUtc(path);
            var temp = path + ".weaken.tmp";
            File.Copy(path, temp, overwrite: true);
            using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
            {
                foreach (var requirement in plan)
                {
                    stream.Position = requirement.FlagsOffset;
                    stream.WriteByte((byte)(image[requirement.FlagsOffset] | ElfVersions.WeakFlag));
                }
            }

            File.SetLastWriteTimeUtc(temp, written);
            File.Replace(temp, path, destinationBackupFileName: null);
            return plan.Select(r => r.Name).ToList();
        }
    }

    /// <summary>One version that a library requires from another (an ELF <c>Vernaux</c> entry).</summary>
    public sealed class VersionRequirement
    {
        /// <summary>Creates the requirement.</summary>
        public VersionRequirement(string name, int index, bool isWeak, int flagsOffset)
        {
            Name = name;
            Index = index;
            IsWeak = isWeak;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
        public string Name { get; }

        /// <summary>The version index that <c>.gnu.version</c> entries use for it.</summary>
        public int Index { get; }

        /// <summary>Whether the loader may go on without it (VER_FLG_WEAK).</summary>
        public bool IsWeak { get; }

        /// <summary>File offset of its <c>vna_flags</c> field.</summary>
        public int FlagsOffset { get; }

        /// <inheritdoc/>
        public override string ToString() => Name;
    }

    /// <summary>Reads the GNU symbol-versioning sections of a little-endian ELF64 image.</summary>
    public static class ElfVersions
    {
        /// <summary>VER_FLG_WEAK.</summary>
        public const byte WeakFlag = 0x2;

        private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11;
        private const uint ShtVerdef = 0x6ffffffd, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;

        /// <summary>The versions <paramref name="image"/> requires from the library named <paramref name="file"/>.</summary>
        public static List<VersionRequirement> ReadRequirements(byte[] image, string file)
        {
            var found = new List<VersionRequirement>();
            foreach (var section in Sections(image).Where(s => s.Type == ShtVerneed))
            {
                var strings = Sections(image)[section.Link].Offset;
                var entry = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    var auxiliary = entry + (int)U32(image, entry + 8);
                    var isFile = CString(image, strings + (int)U32(image, entry + 4)) == file;
                    for (var j = 0; isFile && j < U16(image, entry + 2); j++)
                    {
                        found.Add(new VersionRequirement(
                            CString(image, strings + (int)U32(image, auxiliary + 8)),
                            U16(image, auxiliary + 6),
                            (U16(image, auxiliary + 4) & WeakFlag) != 0,
                            auxiliary + 4));
                        auxiliary += (int)U32(image, auxiliary + 12);
                    }

                    entry += (int)U32(image, entry + 12);
                }
            }

            return found;
        }

        /// <summary>The version names a shared library defines (its <c>Verdef</c> entries).</summary>
        public static HashSet<string> ReadDefinedVersions(byte[] image)
        {
            var defined = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in Sections(image).Where(s => s.Type == ShtVerdef))
            {
                var strings = Sections(image)[section.Link].Offset;
                var entry = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    var auxiliary = entry + (int)U32(image, entry + 12);
                    defined.Add(CString(image, strings + (int)U32(image, auxiliary)));
                    entry += (int)U32(image, entry + 16);
                }
            }

            return defined;
        }

        /// <summary>Names of the dynamic symbols of version <paramref name="index"/> that a relocation binds.</summary>
        public static List<string> SymbolsRelocatedWithVersion(byte[] image, int index)
        {
            var sections = Sections(image);
            var dynsym = sections.FindIndex(s => s.Type == ShtDynsym);
            var versym = sections.Find(s => s.Type == ShtVersym);
            if (dynsym < 0 || versym == null)
            {
                return new List<string>();
            }

            var symbols = sections[dynsym];
            var names = sections[symbols.Link].Offset;
            var bound = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var relocations in sections.Where(s => (s.Type == ShtRela || s.Type == ShtRel) && s.Link == dynsym))
            {
                var size = relocations.Type == ShtRela ? 24 : 16;
                for (var at = relocations.Offset; at + size <= relocations.Offset + relocations.Size; at += size)
                {
                    var symbol = (int)(U64(image, at + 8) >> 32);
                    if (symbol != 0 && (U16(image, versym.Offset + 2 * symbol) & 0x7fff) == index)
                    {
                        bound.Add(CString(image, names + (int)U32(image, symbols.Offset + 24 * symbol)));
                    }
                }
            }

            return bound.ToList();
        }

        private static List<Section> Sections(byte[] image)
        {
            if (image.Length < 64 || image[0] != 0x7f || image[1] != 'E' || image[2] != 'L' || image[3] != 'F' || image[4] != 2 || image[5] != 1)
            {
                throw new InvalidDataException("not a little-endian ELF64 file.");
            }

            var table = (int)U64(image, 0x28);
            var entrySize = U16(image, 0x3a);
            var sections = new List<Section>();
            for (var i = 0; i < U16(image, 0x3c); i++)
            {
                var header = table + i * entrySize;
                sections.Add(new Section(U32(image, header + 4), (int)U64(image, header + 24), (int)U64(image, header + 32),
                    (int)U32(image, header + 40), (int)U32(image, header + 44)));
            }

            return sections;
        }

        private static string CString(byte[] image, int offset)
        {
            var end = Array.IndexOf(image, (byte)0, offset);
            return Encoding.ASCII.GetString(image, offset, end - offset);
        }

        private static int U16(byte[] b, int at) => b[at] | b[at + 1] << 8;

        private static uint U32(byte[] b, int at) => (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24);

        private static ulong U64(byte[] b, int at) => U32(b, at) | (ulong)U32(b, at + 4) << 32;

        private sealed class Section
        {
            public Section(uint type, int offset, int size, int link, int info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }

            public int Offset { get; }

            public int Size { get; }

            public int Link { get; }

            public int Info { get; }
        }
    }
}
