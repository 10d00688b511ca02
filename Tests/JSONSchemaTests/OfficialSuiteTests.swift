import AgentCoreJSON
import Foundation
import JSONSchema
import Testing

/// The official JSON-Schema-Test-Suite (draft 2020-12), read from `../shared/jsonschema-suite`
/// beside the repository (override with `AGENTCORE_JSONSCHEMA_SUITE`).
///
/// Required files must pass every case except those in `suite-skip-list.txt`;
/// the others only print their pass counts.
@Suite struct OfficialSuiteTests {
    static let requiredFiles = [
        "type.json", "properties.json", "required.json", "additionalProperties.json", "patternProperties.json",
        "propertyNames.json", "enum.json", "const.json", "items.json", "prefixItems.json", "contains.json",
        "minContains.json", "maxContains.json", "minItems.json", "maxItems.json", "uniqueItems.json",
        "minLength.json", "maxLength.json", "pattern.json", "minimum.json", "maximum.json", "exclusiveMinimum.json",
        "exclusiveMaximum.json", "multipleOf.json", "minProperties.json", "maxProperties.json",
        "dependentRequired.json", "dependentSchemas.json", "if-then-else.json", "allOf.json", "anyOf.json",
        "oneOf.json", "not.json", "boolean_schema.json", "ref.json", "defs.json", "anchor.json", "default.json",
        "infinite-loop-detection.json",
        "optional/format/uri.json", "optional/format/email.json", "optional/format/date-time.json",
        "optional/format/uuid.json", "optional/format/ipv4.json", "optional/format/hostname.json",
    ]

    @Test("required suite file passes", arguments: requiredFiles)
    func requiredFile(_ file: String) throws {
        let outcome = try SuiteRunner.shared.run(file)
        print("[suite] \(file): \(outcome.passed)/\(outcome.total) passed, \(outcome.skipped.count) skipped")
        #expect(outcome.failures.isEmpty, "\(file): failing cases:\n\(outcome.failures.joined(separator: "\n"))")
        let fixed = outcome.skipped.filter(\.passes).map(\.name)
        #expect(fixed.isEmpty, "\(file): skip-listed cases now pass, remove them:\n\(fixed.joined(separator: "\n"))")
    }

    @Test("other suite files report their pass counts")
    func otherFiles() throws {
        let runner = SuiteRunner.shared
        var passed = 0
        var total = 0
        for file in try runner.allFiles() where !Self.requiredFiles.contains(file) {
            let outcome = try runner.run(file, applySkipList: false)
            passed += outcome.passed
            total += outcome.total
            print("[suite] (not required) \(file): \(outcome.passed)/\(outcome.total) passed")
            if ProcessInfo.processInfo.environment["AGENTCORE_JSONSCHEMA_SUITE_VERBOSE"] != nil {
                for failure in outcome.failures { print("[suite]   \(failure)") }
            }
        }
        print("[suite] (not required) all: \(passed)/\(total) passed")
        #expect(total > 0)
    }

    @Test("skip list entries name real cases")
    func skipListIsAccurate() throws {
        let runner = SuiteRunner.shared
        let known = try Set(Self.requiredFiles.flatMap { file in try runner.cases(in: file).map(\.key) })
        let unknown = runner.skipList.keys.filter { !known.contains($0) && $0.group != "*" }
        #expect(unknown.isEmpty, "skip list names cases that do not exist: \(unknown)")
    }
}

/// Loads suite files and runs their cases.
final class SuiteRunner: Sendable {
    static let shared = SuiteRunner()

    struct Key: Hashable, CustomStringConvertible {
        var file: String
        var group: String
        var test: String
        var description: String { "\(file) | \(group) | \(test)" }
    }

    struct Case {
        var key: Key
        var schema: JSONValue
        var data: JSONValue
        var valid: Bool
    }

    struct Skipped {
        var name: String
        var passes: Bool
    }

    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
        var skipped: [Skipped] = []
    }

    let suiteRoot: URL
    let skipList: [Key: String]

    init() {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if let override = ProcessInfo.processInfo.environment["AGENTCORE_JSONSCHEMA_SUITE"] {
            suiteRoot = URL(fileURLWithPath: override)
        } else {
            suiteRoot = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/jsonschema-suite")
        }
        let skipFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("suite-skip-list.txt")
        var entries: [Key: String] = [:]
        let text = (try? String(contentsOf: skipFile, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 4 else { continue }
            entries[Key(file: fields[0], group: fields[1], test: fields[2])] = fields[3]
        }
        skipList = entries
    }

    var testsDirectory: URL { suiteRoot.appendingPathComponent("tests/draft2020-12") }

    func allFiles() throws -> [String] {
        guard FileManager.default.fileExists(atPath: testsDirectory.path) else {
            throw SuiteNotFound(path: suiteRoot.path)
        }
        let enumerator = FileManager.default.enumerator(atPath: testsDirectory.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".json") { files.append(path) }
        }
        return files.sorted()
    }

    struct SuiteNotFound: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "JSON-Schema-Test-Suite not found at \(path); put it there or set AGENTCORE_JSONSCHEMA_SUITE"
        }
    }

    func cases(in file: String) throws -> [Case] {
        guard FileManager.default.fileExists(atPath: testsDirectory.path) else {
            throw SuiteNotFound(path: suiteRoot.path)
        }
        let text = try String(contentsOf: testsDirectory.appendingPathComponent(file), encoding: .utf8)
        let groups = try JSONValue(parsing: text)
        var cases: [Case] = []
        for group in groups.arrayValue ?? [] {
            let groupName = group["description"]?.stringValue ?? ""
            for test in group["tests"]?.arrayValue ?? [] {
                cases.append(
                    Case(
                        key: Key(file: file, group: groupName, test: test["description"]?.stringValue ?? ""),
                        schema: group["schema"] ?? .null, data: test["data"] ?? .null,
                        valid: test["valid"]?.boolValue ?? false))
            }
        }
        return cases
    }

    /// Serves `http://localhost:1234/...` from the suite's `remotes/` folder, as the suite expects.
    func remote(_ uri: String) -> JSONValue? {
        let prefix = "http://localhost:1234/"
        guard uri.hasPrefix(prefix) else { return nil }
        let file = suiteRoot.appendingPathComponent("remotes").appendingPathComponent(String(uri.dropFirst(prefix.count)))
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return try? JSONValue(parsing: text)
    }

    func isSkipped(_ key: Key) -> Bool {
        skipList[key] != nil || skipList[Key(file: key.file, group: "*", test: "*")] != nil
    }

    func run(_ file: String, applySkipList: Bool = true) throws -> Outcome {
        var outcome = Outcome()
        for testCase in try cases(in: file) {
            outcome.total += 1
            let verdict: String?
            do {
                let schema = try JSONSchema(compiling: testCase.schema, remoteResolver: remote)
                let errors = schema.validate(testCase.data)
                let valid = errors.isEmpty
                if valid != schema.isValid(testCase.data) {
                    verdict = "validate() and isValid() disagree"
                } else if valid != testCase.valid {
                    verdict = testCase.valid
                        ? "expected valid, got \(errors.map(\.description).joined(separator: "; "))"
                        : "expected invalid, got valid"
                } else {
                    verdict = nil
                }
            } catch {
                verdict = "schema refused: \(error)"
            }
            if applySkipList, isSkipped(testCase.key) {
                outcome.skipped.append(Skipped(name: testCase.key.description, passes: verdict == nil))
                outcome.total -= 1
                continue
            }
            if let verdict {
                outcome.failures.append("  \(testCase.key): \(verdict)")
            } else {
                outcome.passed += 1
            }
        }
        return outcome
    }
}
