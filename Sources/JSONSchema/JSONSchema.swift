public import AgentCoreJSON

/// A draft 2020-12 JSON Schema, compiled once and used to validate many instances.
///
/// Compiling resolves `$ref`, `$dynamicRef`, `$anchor` and `$id` within the
/// document (and, through `remoteResolver`, other documents), compiles every
/// regex and checks every keyword's value, so an invalid schema is refused up
/// front with its location. Validation then only walks the compiled form: it
/// allocates little on success, does no I/O and is safe to call from any thread.
///
/// Asserted: every validation and applicator keyword of draft 2020-12,
/// including `unevaluatedProperties`/`unevaluatedItems` and `$dynamicRef`, and
/// `format` for `uri`, `email`, `date-time`, `uuid`, `ipv4`, `hostname` and
/// `regex` (other formats are annotations). A custom meta-schema's
/// `$vocabulary` switches off the keywords of vocabularies it does not list.
public struct JSONSchema: Sendable {
    /// The schema document as given.
    public let source: JSONValue
    let program: SchemaProgram

    /// Compiles `schema`; references may point only inside it (or at the draft 2020-12 meta-schemas).
    ///
    /// - Throws: `SchemaCompilationError` naming the schema location of the first problem found.
    public init(compiling schema: JSONValue) throws(SchemaCompilationError) {
        try self.init(compiling: schema, remoteResolver: { _ in nil })
    }

    /// Compiles `schema`, loading documents that references name outside it through `remoteResolver`.
    ///
    /// - Parameter remoteResolver: Returns the schema document for an absolute
    ///   URI without fragment (such as `http://example.com/defs.json`), or nil
    ///   when unknown. Called only during compilation.
    /// - Throws: `SchemaCompilationError` naming the schema location of the first problem found.
    public init(
        compiling schema: JSONValue, remoteResolver: @escaping (_ uri: String) -> JSONValue?
    ) throws(SchemaCompilationError) {
        self.source = schema
        self.program = try SchemaCompiler.compile(schema, remoteResolver: remoteResolver)
    }

    /// Parses JSON text and compiles it.
    ///
    /// - Throws: `SchemaCompilationError`; for text that is not JSON, its message is the parse error.
    public init(compiling text: String) throws(SchemaCompilationError) {
        let schema: JSONValue
        do {
            schema = try JSONValue(parsing: text)
        } catch {
            throw SchemaCompilationError(schemaPath: .root, message: error.description)
        }
        try self.init(compiling: schema)
    }

    /// Every way `instance` fails the schema, ordered by instance path; empty when valid.
    public func validate(_ instance: JSONValue) -> [ValidationError] {
        // Valid instances are the common case: a boolean pass stops early and
        // tracks no paths; only a failing instance pays for the full report.
        if isValid(instance) { return [] }
        var evaluator = SchemaEvaluator(program: program)
        var evaluated = Evaluated()
        if evaluator.evaluate(program.root, instance, collect: true, into: &evaluated) { return [] }
        return evaluator.errors.sorted(by: Self.reportOrder)
    }

    /// True when `instance` is valid; stops at the first failure.
    public func isValid(_ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(program: program)
        var evaluated = Evaluated()
        return evaluator.evaluate(program.root, instance, collect: false, into: &evaluated)
    }

    /// The root schema's `title`, if any.
    public var title: String? { program.nodes[program.root].title }

    /// The root schema's `description`, if any.
    public var description: String? { program.nodes[program.root].description }

    /// A stable order for reports: by instance path (array indexes numerically), then schema path, then message.
    static func reportOrder(_ lhs: ValidationError, _ rhs: ValidationError) -> Bool {
        let order = compare(lhs.instancePath.tokens, rhs.instancePath.tokens)
        if order != 0 { return order < 0 }
        let schemaOrder = compare(lhs.schemaPath.tokens, rhs.schemaPath.tokens)
        if schemaOrder != 0 { return schemaOrder < 0 }
        return lhs.message < rhs.message
    }

    private static func compare(_ lhs: [String], _ rhs: [String]) -> Int {
        for (left, right) in zip(lhs, rhs) where left != right {
            if let leftIndex = Int(left), let rightIndex = Int(right) { return leftIndex < rightIndex ? -1 : 1 }
            return left < right ? -1 : 1
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
}
