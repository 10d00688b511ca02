#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open shared object; `deinit` closes it.
///
/// Holders keep a reference for as long as any code or data of the library may be in use
/// (the loaded plugin, every instance, every call in flight), so dlclose only runs after
/// the last of them is gone. Images carrying Swift metadata are opened RTLD_NODELETE:
/// dlclose then only drops the reference and the image stays mapped (see `ELFImage`).
public final class NativeLibrary: @unchecked Sendable {
    // @unchecked: `handle` is written once in init and only read afterwards; dlsym and
    // dlclose are thread-safe.
    private let handle: UnsafeMutableRawPointer
    /// The path the library was opened from.
    public let path: String
    /// True when the image stays mapped after close (it contains Swift metadata).
    public let isPinned: Bool

    /// Opens `path` with RTLD_NOW | RTLD_LOCAL after checking it is an ELF shared object
    /// for this machine.
    /// - Throws: `NativeLoadError` (`.notELF`, `.wrongArchitecture`, `.dlopenFailed` with dlerror's text, ...).
    public init(path: String) throws(NativeLoadError) {
        let image = try ELFImage(path: path)
        var flags = RTLD_NOW | RTLD_LOCAL
        if image.containsSwiftMetadata { flags |= RTLD_NODELETE }
        // A name without a slash makes dlopen search the library path instead
        // of opening the file the operator named.
        let openPath = path.contains("/") ? path : "./" + path
        guard let handle = dlopen(openPath, flags) else {
            throw NativeLoadError(.dlopenFailed, "dlopen failed: \(Self.lastError())")
        }
        self.handle = handle
        self.path = path
        self.isPinned = image.containsSwiftMetadata
    }

    deinit {
        dlclose(handle)
    }

    /// The address of the exported symbol `name`.
    /// - Throws: `NativeLoadError.missingEntrySymbol`-kind errors are the caller's choice; this throws `.missingEntrySymbol`.
    func symbol(named name: String) throws(NativeLoadError) -> UnsafeMutableRawPointer {
        _ = dlerror()
        guard let address = dlsym(handle, name) else {
            throw NativeLoadError(.missingEntrySymbol, "missing entry symbol \(name)")
        }
        return address
    }

    private static func lastError() -> String {
        guard let message = dlerror() else { return "unknown error" }
        return String(cString: message)
    }
}
