import CFFI
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A typed tool's C function with its libffi call interface, prepared once at load.
///
/// Calls convert `NativeValue` arguments to C values (strings become NUL-terminated copies
/// owned by the host for the call), call through `ffi_call`, and turn the return value back
/// into a `NativeValue`, handing a string result to the plugin's `free_string_result`.
public final class TypedToolFunction: @unchecked Sendable {
    // @unchecked: every stored property is written once in init; the cif and type arrays are
    // only read by ffi_call afterwards, which libffi allows from any number of threads.
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let function: @convention(c) () -> Void
    private let freeStringResult: (@convention(c) (UnsafeMutablePointer<CChar>?) -> Void)?
    public let parameterTypes: [NativeValueType]
    public let resultType: NativeValueType

    /// Prepares the call interface for `function(parameterTypes...) -> resultType`.
    /// - Throws: `NativeLoadError.ffiPreparationFailed` when libffi refuses the signature.
    init(
        function: @escaping @convention(c) () -> Void,
        parameterTypes: [NativeValueType],
        resultType: NativeValueType,
        freeStringResult: (@convention(c) (UnsafeMutablePointer<CChar>?) -> Void)?
    ) throws(NativeLoadError) {
        self.function = function
        self.parameterTypes = parameterTypes
        self.resultType = resultType
        self.freeStringResult = freeStringResult
        cif = .allocate(capacity: 1)
        argumentTypes = .allocate(capacity: max(parameterTypes.count, 1))
        for (index, type) in parameterTypes.enumerated() {
            (argumentTypes + index).initialize(to: FFITypes.shared.descriptor(for: type))
        }
        let status = ffi_prep_cif(
            cif, FFI_DEFAULT_ABI, UInt32(parameterTypes.count),
            FFITypes.shared.descriptor(for: resultType), argumentTypes
        )
        guard status == FFI_OK else {
            throw NativeLoadError(.ffiPreparationFailed, "ffi_prep_cif failed with status \(status.rawValue)")
        }
    }

    deinit {
        argumentTypes.deallocate()
        cif.deallocate()
    }

    /// Calls the function with `arguments`, which must match `parameterTypes` one to one.
    /// - Returns: the result, or a message when the function returned a NULL string or the
    ///   arguments do not match.
    public func call(_ arguments: [NativeValue]) -> Result<NativeValue, TypedCallFailure> {
        guard arguments.count == parameterTypes.count,
              zip(arguments, parameterTypes).allSatisfy({ $0.type == $1 })
        else {
            return .failure(TypedCallFailure(message: "arguments do not match the tool's parameters"))
        }
        let count = arguments.count
        // One 8-byte slot per argument holds its C value; `pointers` holds each slot's address.
        let slots = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 8, alignment: 8)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(count, 1))
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer {
            for string in strings { free(string) }
            pointers.deallocate()
            slots.deallocate()
        }
        for (index, argument) in arguments.enumerated() {
            let slot = slots + index * 8
            switch argument {
            case .void: break
            case .int64(let value): slot.storeBytes(of: value, as: Int64.self)
            case .int32(let value): slot.storeBytes(of: value, as: Int32.self)
            case .double(let value): slot.storeBytes(of: value, as: Double.self)
            case .bool(let value): slot.storeBytes(of: value ? 1 : 0, as: UInt8.self)
            case .string(let value):
                guard let copy = strdup(value) else {
                    return .failure(TypedCallFailure(message: "out of memory copying a string argument"))
                }
                strings.append(copy)
                slot.storeBytes(of: copy, as: UnsafeMutablePointer<CChar>.self)
            }
            pointers[index] = slot
        }

        // libffi widens integral results narrower than a register to ffi_arg (8 bytes here).
        var returnSlot: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &returnSlot) { raw in
            ffi_call(cif, function, raw.baseAddress, pointers)
        }
        return withUnsafeBytes(of: &returnSlot) { raw -> Result<NativeValue, TypedCallFailure> in
            switch resultType {
            case .void: return .success(.void)
            case .int64: return .success(.int64(raw.load(as: Int64.self)))
            case .int32: return .success(.int32(Int32(truncatingIfNeeded: raw.load(as: Int64.self))))
            case .double: return .success(.double(raw.load(as: Double.self)))
            case .bool: return .success(.bool(raw.load(as: UInt64.self) & 0xFF != 0))
            case .string:
                guard let pointer = raw.load(as: UnsafeMutablePointer<CChar>?.self) else {
                    return .failure(TypedCallFailure(message: "typed tool returned a NULL string"))
                }
                let value = String(cString: pointer)
                freeStringResult?(pointer)
                return .success(.string(value))
            }
        }
    }
}

/// Why a typed tool call produced no value.
public struct TypedCallFailure: Error, Sendable, Hashable {
    public let message: String
}

/// libffi's type descriptors for the ABI's scalar types.
///
/// They are C globals (`ffi_type_sint64`, ...) that libffi never writes; Swift 6 treats every
/// mutable C global as unsafe shared state, so their addresses are taken once through dlsym
/// from the libffi the host links.
private struct FFITypes: @unchecked Sendable {
    // @unchecked: pointers to libffi's read-only type descriptors, set once.
    let void, sint64, sint32, double, uint8, pointer: UnsafeMutablePointer<ffi_type>

    static let shared = FFITypes()

    private init() {
        func lookup(_ name: String) -> UnsafeMutablePointer<ffi_type> {
            guard let address = dlsym(nil, name) else {
                fatalError("libffi symbol \(name) not found although the host links libffi")
            }
            return address.assumingMemoryBound(to: ffi_type.self)
        }
        void = lookup("ffi_type_void")
        sint64 = lookup("ffi_type_sint64")
        sint32 = lookup("ffi_type_sint32")
        double = lookup("ffi_type_double")
        uint8 = lookup("ffi_type_uint8")
        pointer = lookup("ffi_type_pointer")
    }

    func descriptor(for type: NativeValueType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .void: void
        case .int64: sint64
        case .int32: sint32
        case .double: double
        case .bool: uint8
        case .string: pointer
        }
    }
}
