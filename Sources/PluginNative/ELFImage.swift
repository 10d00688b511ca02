#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the loader needs to know about a plugin file before dlopen: is it a shared object
/// for this machine, and does it carry Swift metadata.
///
/// Checked from the file's bytes so a garbage file or a foreign architecture is named
/// clearly ("not an ELF file", "built for aarch64, host is x86_64") instead of through
/// dlerror's wording, and so Swift images can be kept mapped (see `containsSwiftMetadata`).
struct ELFImage {
    /// True when the image has `swift5_*` sections: the Swift runtime registers those
    /// sections when the image is loaded and never unregisters them, so unmapping such an
    /// image would leave the runtime with dangling pointers. Such libraries are opened
    /// with RTLD_NODELETE.
    let containsSwiftMetadata: Bool

    /// Reads and checks the ELF header of `path`.
    /// - Throws: `NativeLoadError` `.unreadableFile`, `.notELF` or `.wrongArchitecture`.
    init(path: String) throws(NativeLoadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw NativeLoadError(.unreadableFile, "cannot open file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }

        var header = [UInt8](repeating: 0, count: 64)
        let count = Self.read(fd, into: &header, at: 0)
        guard count >= 20, header[0] == 0x7F, header[1] == UInt8(ascii: "E"), header[2] == UInt8(ascii: "L"),
              header[3] == UInt8(ascii: "F")
        else {
            throw NativeLoadError(.notELF, "not an ELF file (no ELF magic number)")
        }
        let machine = UInt16(header[18]) | UInt16(header[19]) << 8
        guard header[4] == 2, header[5] == 1 else {
            throw NativeLoadError(
                .wrongArchitecture,
                "wrong architecture: \(header[4] == 1 ? "32-bit" : "non-64-bit") ELF (\(Self.machineName(machine))), host is \(Self.machineName(Self.hostMachine)) 64-bit"
            )
        }
        guard count == 64 else { throw NativeLoadError(.notELF, "truncated ELF header") }
        let type = UInt16(header[16]) | UInt16(header[17]) << 8
        guard type == 3 else {  // ET_DYN
            throw NativeLoadError(.notELF, "not a shared object (ELF type \(type))")
        }
        guard machine == Self.hostMachine else {
            throw NativeLoadError(
                .wrongArchitecture,
                "wrong architecture: built for \(Self.machineName(machine)), host is \(Self.machineName(Self.hostMachine))"
            )
        }
        try Self.checkSegmentsFit(fd: fd, header: header)
        containsSwiftMetadata = Self.hasSwiftSections(fd: fd, header: header)
    }

    /// A truncated file (a copy still in progress) must be refused here: dlopen would map its
    /// segments past the end of the file and the loader would die of SIGBUS touching them.
    private static func checkSegmentsFit(fd: Int32, header: [UInt8]) throws(NativeLoadError) {
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw NativeLoadError(.unreadableFile, "cannot stat file: \(String(cString: strerror(errno)))")
        }
        let fileSize = Int(status.st_size)
        let programOffset = integer(header, at: 0x20, size: 8)
        let entrySize = integer(header, at: 0x36, size: 2)
        let entryCount = integer(header, at: 0x38, size: 2)
        guard entrySize >= 56, entryCount > 0, entryCount < 65_535, programOffset + entrySize * entryCount <= fileSize else {
            throw NativeLoadError(.notELF, "truncated ELF file: its program headers end past the file's \(fileSize) bytes")
        }
        var entries = [UInt8](repeating: 0, count: entrySize * entryCount)
        guard read(fd, into: &entries, at: programOffset) == entries.count else {
            throw NativeLoadError(.notELF, "truncated ELF file: cannot read its program headers")
        }
        for index in 0..<entryCount {
            let base = index * entrySize
            let type = integer(entries, at: base, size: 4)
            guard type == 1 else { continue }  // PT_LOAD
            let offset = integer(entries, at: base + 0x08, size: 8)
            let size = integer(entries, at: base + 0x20, size: 8)
            if offset + size > fileSize {
                throw NativeLoadError(
                    .notELF, "truncated ELF file: a loadable segment ends at byte \(offset + size), the file has \(fileSize)"
                )
            }
        }
    }

    #if arch(x86_64)
    static let hostMachine: UInt16 = 62
    #elseif arch(arm64)
    static let hostMachine: UInt16 = 183
    #else
    static let hostMachine: UInt16 = 0
    #endif

    static func machineName(_ machine: UInt16) -> String {
        switch machine {
        case 3: "i386"
        case 40: "arm"
        case 62: "x86_64"
        case 183: "aarch64"
        case 243: "riscv"
        default: "ELF machine \(machine)"
        }
    }

    private static func read(_ fd: Int32, into buffer: inout [UInt8], at offset: Int) -> Int {
        buffer.withUnsafeMutableBytes { raw in
            var total = 0
            while total < raw.count {
                let n = pread(fd, raw.baseAddress! + total, raw.count - total, off_t(offset + total))
                if n <= 0 { break }
                total += n
            }
            return total
        }
    }

    private static func integer(_ bytes: [UInt8], at offset: Int, size: Int) -> Int {
        guard offset + size <= bytes.count else { return 0 }
        var value = 0
        for index in (0..<size).reversed() { value = value << 8 | Int(bytes[offset + index]) }
        return value
    }

    /// Scans the section names for the `swift5_` prefix the Swift compiler uses on ELF.
    private static func hasSwiftSections(fd: Int32, header: [UInt8]) -> Bool {
        let sectionOffset = integer(header, at: 0x28, size: 8)
        let entrySize = integer(header, at: 0x3A, size: 2)
        let sectionCount = integer(header, at: 0x3C, size: 2)
        let namesIndex = integer(header, at: 0x3E, size: 2)
        guard sectionOffset > 0, entrySize >= 64, sectionCount > 0, sectionCount < 65_280, namesIndex < sectionCount
        else { return false }
        var sections = [UInt8](repeating: 0, count: entrySize * sectionCount)
        guard read(fd, into: &sections, at: sectionOffset) == sections.count else { return false }
        let namesHeader = namesIndex * entrySize
        let namesOffset = integer(sections, at: namesHeader + 0x18, size: 8)
        let namesSize = integer(sections, at: namesHeader + 0x20, size: 8)
        guard namesSize > 0, namesSize < 1 << 24 else { return false }
        var names = [UInt8](repeating: 0, count: namesSize)
        guard read(fd, into: &names, at: namesOffset) == namesSize else { return false }
        let prefix = Array("swift5_".utf8)
        for index in 0..<sectionCount {
            let nameOffset = integer(sections, at: index * entrySize, size: 4)
            guard nameOffset + prefix.count <= names.count else { continue }
            if names[nameOffset..<nameOffset + prefix.count].elementsEqual(prefix) { return true }
        }
        return false
    }
}
