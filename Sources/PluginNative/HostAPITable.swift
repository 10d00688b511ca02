import CAgentCorePlugin

/// The `ac_host_api_t` table every plugin receives: C-convention trampolines that turn the
/// opaque `ac_context_t *` / `ac_call_t *` back into Swift objects and forward to the
/// instance's `NativeHostServices`.
///
/// One table for the whole process, allocated once and never freed (the header promises it
/// stays valid until the library is unloaded, and plugins may keep the pointer).
struct HostAPITable: @unchecked Sendable {
    // @unchecked: the pointee is written once while `shared` is initialized and read-only after.
    let pointer: UnsafePointer<ac_host_api_t>

    static let shared = HostAPITable()

    /// The ABI version the host implements.
    static let abiMajor = Int(AC_ABI_VERSION_MAJOR)
    static let abiMinor = Int(AC_ABI_VERSION_MINOR)

    private init() {
        let table = UnsafeMutablePointer<ac_host_api_t>.allocate(capacity: 1)
        table.initialize(to: ac_host_api_t(
            struct_size: UInt32(MemoryLayout<ac_host_api_t>.size),
            abi_major: UInt16(AC_ABI_VERSION_MAJOR),
            abi_minor: UInt16(AC_ABI_VERSION_MINOR),
            call_set_output: { call, json in
                guard let call else { return }
                UnsafeMutablePointer<NativeCallRecord>(call).pointee.output = json.bytes
            },
            call_set_error: { call, message in
                guard let call else { return }
                UnsafeMutablePointer<NativeCallRecord>(call).pointee.error = message.string
            },
            log: { ctx, level, message, fields, fieldCount in
                guard let ctx else { return }
                let context = NativeContext.from(ctx)
                var pairs: [(key: String, value: String)] = []
                if let fields, fieldCount > 0 {
                    pairs.reserveCapacity(fieldCount)
                    for field in UnsafeBufferPointer(start: fields, count: fieldCount) {
                        pairs.append((field.key.string, field.value.string))
                    }
                }
                let swiftLevel = NativeLogLevel(rawValue: Int32(truncatingIfNeeded: level.rawValue)) ?? .info
                context.services.log(context, level: swiftLevel, message: message.string, fields: pairs)
            },
            context_namespace_id: { ctx in
                guard let ctx else { return ac_str_t(ptr: nil, len: 0) }
                let bytes = NativeContext.from(ctx).namespaceBytes
                return ac_str_t(ptr: bytes.pointer.baseAddress!.assumingMemoryBound(to: CChar.self), len: bytes.count)
            },
            context_department_id: { ctx in
                guard let ctx else { return ac_str_t(ptr: nil, len: 0) }
                let bytes = NativeContext.from(ctx).departmentBytes
                return ac_str_t(ptr: bytes.pointer.baseAddress!.assumingMemoryBound(to: CChar.self), len: bytes.count)
            },
            http_request: { ctx, request, outResponse in
                let response: NativeHTTPResponse
                if let ctx, let request {
                    let context = NativeContext.from(ctx)
                    response = context.services.httpRequest(context, HostAPITable.copyRequest(request))
                } else {
                    response = NativeHTTPResponse(status: .invalidInput, error: "NULL context or request")
                }
                outResponse?.pointee = HostAPITable.allocateResponse(response)
                return response.status.cValue
            },
            http_response_free: { response in
                guard let response else { return }
                UnsafeMutableRawPointer(response).deallocate()
            },
            kv_get: { ctx, key, outValue in
                guard let ctx else { return NativeStatus.invalidInput.cValue }
                let context = NativeContext.from(ctx)
                let (status, value) = context.services.keyValueGet(context, key: key.bytes)
                if status == .ok, let value {
                    outValue?.pointee = HostAPITable.allocateBuffer(value)
                } else {
                    outValue?.pointee = nil
                }
                return status.cValue
            },
            kv_set: { ctx, key, value in
                guard let ctx else { return NativeStatus.invalidInput.cValue }
                let context = NativeContext.from(ctx)
                return context.services.keyValueSet(context, key: key.bytes, value: value.bytes).cValue
            },
            kv_delete: { ctx, key in
                guard let ctx else { return NativeStatus.invalidInput.cValue }
                let context = NativeContext.from(ctx)
                return context.services.keyValueDelete(context, key: key.bytes).cValue
            },
            buffer_free: { buffer in
                guard let buffer else { return }
                UnsafeMutableRawPointer(buffer).deallocate()
            }
        ))
        pointer = UnsafePointer(table)
    }

    /// Copies a plugin's request, honouring its struct_size (fields it does not have are absent).
    static func copyRequest(_ pointer: UnsafePointer<ac_http_request_t>) -> NativeHTTPRequest {
        let zero = ac_http_request_t()
        let (request, _) = readVersionedStruct(UnsafeRawPointer(pointer), as: ac_http_request_t.self, zero: zero)
        var headers: [(name: String, value: String)] = []
        if let fields = request.headers, request.header_count > 0 {
            headers.reserveCapacity(request.header_count)
            for field in UnsafeBufferPointer(start: fields, count: request.header_count) {
                headers.append((field.key.string, field.value.string))
            }
        }
        return NativeHTTPRequest(
            method: request.method.string, url: request.url.string, headers: headers,
            body: request.body.bytes, timeoutMilliseconds: request.timeout_ms
        )
    }

    /// One allocation holding the response struct, its header array and every byte it points
    /// to, so `http_response_free` is a single deallocate.
    static func allocateResponse(_ response: NativeHTTPResponse) -> UnsafeMutablePointer<ac_http_response_t> {
        let headerBytes = response.headers.map { (Array($0.name.utf8), Array($0.value.utf8)) }
        let errorBytes = Array(response.error.utf8)
        let structSize = MemoryLayout<ac_http_response_t>.stride
        let fieldsSize = MemoryLayout<ac_field_t>.stride * headerBytes.count
        let textSize = headerBytes.reduce(0) { $0 + $1.0.count + $1.1.count } + response.body.count + errorBytes.count
        let block = UnsafeMutableRawPointer.allocate(
            byteCount: structSize + fieldsSize + textSize, alignment: MemoryLayout<ac_http_response_t>.alignment
        )
        let fields = (block + structSize).bindMemory(to: ac_field_t.self, capacity: headerBytes.count)
        var cursor = block + structSize + fieldsSize

        func place(_ bytes: [UInt8]) -> ac_str_t {
            guard !bytes.isEmpty else { return ac_str_t(ptr: nil, len: 0) }
            bytes.withUnsafeBytes { cursor.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            let string = ac_str_t(ptr: cursor.assumingMemoryBound(to: CChar.self), len: bytes.count)
            cursor += bytes.count
            return string
        }

        for (index, header) in headerBytes.enumerated() {
            (fields + index).initialize(to: ac_field_t(key: place(header.0), value: place(header.1)))
        }
        let result = block.bindMemory(to: ac_http_response_t.self, capacity: 1)
        result.initialize(to: ac_http_response_t(
            struct_size: UInt32(MemoryLayout<ac_http_response_t>.size),
            status: response.httpStatus,
            headers: headerBytes.isEmpty ? nil : UnsafePointer(fields),
            header_count: headerBytes.count,
            body: place(response.body),
            error: place(errorBytes)
        ))
        return result
    }

    /// One allocation holding the buffer struct and its bytes, freed by `buffer_free`.
    static func allocateBuffer(_ bytes: [UInt8]) -> UnsafeMutablePointer<ac_buffer_t> {
        let structSize = MemoryLayout<ac_buffer_t>.stride
        let block = UnsafeMutableRawPointer.allocate(
            byteCount: structSize + max(bytes.count, 1), alignment: MemoryLayout<ac_buffer_t>.alignment
        )
        let data = block + structSize
        bytes.withUnsafeBytes { if let base = $0.baseAddress { data.copyMemory(from: base, byteCount: bytes.count) } }
        let buffer = block.bindMemory(to: ac_buffer_t.self, capacity: 1)
        buffer.initialize(to: ac_buffer_t(data: ac_str_t(ptr: data.assumingMemoryBound(to: CChar.self), len: bytes.count)))
        return buffer
    }
}
