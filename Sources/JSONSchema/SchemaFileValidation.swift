import AgentCoreJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Validates a JSON file against a schema file: what `agentcore schema validate` runs.
public enum SchemaFileValidation {
    /// The result, mapped by the command to its output and exit status.
    public enum Outcome: Sendable, Equatable {
        /// The instance is valid (exit 0, no output).
        case valid
        /// The instance fails the schema (exit 1, one `PATH: message` line per error).
        case invalid([ValidationError])
        /// A file could not be read, is not JSON, or the schema is invalid
        /// (exit 2); the message names the file.
        case unusable(String)
    }

    /// Reads, parses and compiles `schemaPath`, then validates the JSON in `instancePath`.
    public static func run(schemaPath: String, instancePath: String) -> Outcome {
        let schemaDocument: JSONValue
        switch readJSON(at: schemaPath, role: "schema") {
        case .success(let value): schemaDocument = value
        case .failure(let message): return .unusable(message.text)
        }
        let schema: JSONSchema
        do {
            schema = try JSONSchema(compiling: schemaDocument)
        } catch {
            return .unusable("schema file \(schemaPath) is not a valid schema: \(error)")
        }
        let instance: JSONValue
        switch readJSON(at: instancePath, role: "instance") {
        case .success(let value): instance = value
        case .failure(let message): return .unusable(message.text)
        }
        let errors = schema.validate(instance)
        return errors.isEmpty ? .valid : .invalid(errors)
    }

    struct Message: Error {
        let text: String
    }

    static func readJSON(at path: String, role: String) -> Result<JSONValue, Message> {
        let bytes: [UInt8]
        switch readFile(at: path) {
        case .success(let contents): bytes = contents
        case .failure(let reason): return .failure(Message(text: "cannot read \(role) file \(path): \(reason.text)"))
        }
        do {
            return .success(try JSONValue(parsing: bytes))
        } catch {
            return .failure(Message(text: "\(role) file \(path) is not valid JSON: \(error)"))
        }
    }

    /// The whole file, or the system's reason for failing (`No such file or directory`).
    static func readFile(at path: String) -> Result<[UInt8], Message> {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return .failure(Message(text: String(cString: strerror(errno)))) }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Message(text: String(cString: strerror(errno))))
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        return .success(contents)
    }
}
