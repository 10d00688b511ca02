import ArgumentParser
import Foundation
import JSONSchema

/// `agentcore schema`: tools for plugin developers' config schemas.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with JSON Schemas (draft 2020-12) such as plugin config schemas.",
        subcommands: [Validate.self]
    )

    /// `agentcore schema validate SCHEMA.json INSTANCE.json`
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Validate a JSON document against a JSON Schema.",
            discussion: """
                Prints one error per line as `PATH: message` and exits 1 when the document is invalid; \
                prints nothing and exits 0 when it is valid. Exits 2 when a file cannot be read or is not \
                JSON, or when the schema itself is invalid.
                """
        )

        @Argument(help: "The JSON Schema file.")
        var schema: String

        @Argument(help: "The JSON document to validate.")
        var instance: String

        func run() async throws {
            switch SchemaFileValidation.run(schemaPath: schema, instancePath: instance) {
            case .valid:
                return
            case .invalid(let errors):
                for error in errors { print(error.description) }
                throw ExitCode(1)
            case .unusable(let message):
                FileHandle.standardError.write(Data("error: \(message)\n".utf8))
                throw ExitCode(2)
            }
        }
    }
}
