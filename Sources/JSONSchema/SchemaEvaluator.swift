import AgentCoreJSON

/// Which properties and items of one instance location have been evaluated
/// (the annotations `unevaluatedProperties`/`unevaluatedItems` read).
struct Evaluated {
    var properties: Set<String> = []
    var allProperties = false
    /// Items `0..<itemCount` were evaluated (`Int.max` = all).
    var itemCount = 0
    /// Items matched by `contains`.
    var items: Set<Int> = []

    mutating func merge(_ other: Evaluated) {
        if other.allProperties {
            allProperties = true
        } else if !other.properties.isEmpty {
            properties.formUnion(other.properties)
        }
        itemCount = max(itemCount, other.itemCount)
        if !other.items.isEmpty { items.formUnion(other.items) }
    }

    func isEvaluated(property: String) -> Bool { allProperties || properties.contains(property) }
    func isEvaluated(item: Int) -> Bool { item < itemCount || items.contains(item) }
}

/// One validation run: walks the program over an instance, collecting errors.
///
/// In collecting mode every keyword runs and each failure is recorded; in
/// boolean mode (inside `anyOf`, `oneOf`, `not`, `if`, `contains`, and for
/// `isValid`) evaluation stops at the first failure and records nothing.
/// Annotations of a subschema are merged into its parent only when the
/// subschema is valid, as the specification requires.
struct SchemaEvaluator {
    enum PathToken {
        case key(String)
        case index(Int)
    }

    let program: SchemaProgram
    private(set) var errors: [ValidationError] = []
    private var path: [PathToken] = []
    /// How deep in the instance evaluation is (kept in both modes, unlike `path`).
    private var depth = 0
    private var dynamicScope: [Int] = []
    /// `$ref` targets being evaluated, with the instance depth they were entered at.
    private var referenceStack: [(node: Int, depth: Int)] = []

    init(program: SchemaProgram) {
        self.program = program
    }

    var instancePath: JSONPointer {
        JSONPointer(
            tokens: path.map {
                switch $0 {
                case .key(let key): key
                case .index(let index): String(index)
                }
            })
    }

    // MARK: Nodes

    /// Evaluates node `index` against `instance`; merges its annotations into `evaluated` when valid.
    mutating func evaluate(_ index: Int, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated) -> Bool {
        if let constant = program.nodes[index].constant {
            if !constant, collect {
                errors.append(
                    ValidationError(
                        instancePath: instancePath, keyword: "false", schemaPath: program.nodes[index].location,
                        message: "is not allowed"))
            }
            return constant
        }
        var pushedScope = false
        if program.usesDynamicScope {
            let resource = program.nodes[index].resource
            if dynamicScope.last != resource {
                dynamicScope.append(resource)
                pushedScope = true
            }
        }
        defer { if pushedScope { dynamicScope.removeLast() } }

        var local = Evaluated()
        var valid = true
        for keyword in program.nodes[index].keywords {
            if !evaluate(keyword, instance, collect: collect, into: &local) {
                valid = false
                if !collect { return false }
            }
        }
        if valid, program.tracksEvaluated { evaluated.merge(local) }
        return valid
    }

    /// Evaluates a child instance (a property value or an item).
    private mutating func evaluate(_ index: Int, child: JSONValue, at token: PathToken, collect: Bool) -> Bool {
        var ignored = Evaluated()
        depth += 1
        defer { depth -= 1 }
        // Paths only matter for reports, and boolean mode reports nothing.
        guard collect else { return evaluate(index, child, collect: false, into: &ignored) }
        path.append(token)
        defer { path.removeLast() }
        return evaluate(index, child, collect: true, into: &ignored)
    }

    private mutating func report(_ keyword: CompiledKeyword, _ message: String) {
        errors.append(
            ValidationError(
                instancePath: instancePath, keyword: keyword.schemaPath.tokens.last ?? "",
                schemaPath: keyword.schemaPath, message: message))
    }

    private mutating func report(keyword: String, at schemaPath: JSONPointer, _ message: String) {
        errors.append(
            ValidationError(instancePath: instancePath, keyword: keyword, schemaPath: schemaPath, message: message))
    }

    // MARK: Keywords

    // Dispatch only: each keyword has its own small function, which keeps the
    // frames on the recursive path small (deep documents must not exhaust the
    // stack, even in debug builds).
    private mutating func evaluate(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        switch compiled.keyword {
        case .type: return checkType(compiled, instance, collect: collect, into: &evaluated)
        case .enumeration: return checkEnumeration(compiled, instance, collect: collect, into: &evaluated)
        case .constant: return checkConstant(compiled, instance, collect: collect, into: &evaluated)
        case .minimum: return checkMinimum(compiled, instance, collect: collect, into: &evaluated)
        case .maximum: return checkMaximum(compiled, instance, collect: collect, into: &evaluated)
        case .multipleOf: return checkMultipleOf(compiled, instance, collect: collect, into: &evaluated)
        case .minLength: return checkMinLength(compiled, instance, collect: collect, into: &evaluated)
        case .maxLength: return checkMaxLength(compiled, instance, collect: collect, into: &evaluated)
        case .pattern: return checkPattern(compiled, instance, collect: collect, into: &evaluated)
        case .format: return checkFormat(compiled, instance, collect: collect, into: &evaluated)
        case .minItems: return checkMinItems(compiled, instance, collect: collect, into: &evaluated)
        case .maxItems: return checkMaxItems(compiled, instance, collect: collect, into: &evaluated)
        case .uniqueItems: return checkUniqueItems(compiled, instance, collect: collect, into: &evaluated)
        case .minProperties: return checkMinProperties(compiled, instance, collect: collect, into: &evaluated)
        case .maxProperties: return checkMaxProperties(compiled, instance, collect: collect, into: &evaluated)
        case .required: return checkRequired(compiled, instance, collect: collect, into: &evaluated)
        case .dependentRequired: return checkDependentRequired(compiled, instance, collect: collect, into: &evaluated)
        case .members: return checkMembers(compiled, instance, collect: collect, into: &evaluated)
        case .propertyNames: return checkPropertyNames(compiled, instance, collect: collect, into: &evaluated)
        case .dependentSchemas: return checkDependentSchemas(compiled, instance, collect: collect, into: &evaluated)
        case .prefixItems: return checkPrefixItems(compiled, instance, collect: collect, into: &evaluated)
        case .items: return checkItems(compiled, instance, collect: collect, into: &evaluated)
        case .contains: return checkContains(compiled, instance, collect: collect, into: &evaluated)
        case .allOf: return checkAllOf(compiled, instance, collect: collect, into: &evaluated)
        case .anyOf: return checkAnyOf(compiled, instance, collect: collect, into: &evaluated)
        case .oneOf: return checkOneOf(compiled, instance, collect: collect, into: &evaluated)
        case .not: return checkNot(compiled, instance, collect: collect, into: &evaluated)
        case .conditional: return checkConditional(compiled, instance, collect: collect, into: &evaluated)
        case .ref: return checkRef(compiled, instance, collect: collect, into: &evaluated)
        case .dynamicRef: return checkDynamicRef(compiled, instance, collect: collect, into: &evaluated)
        case .unevaluatedProperties: return checkUnevaluatedProperties(compiled, instance, collect: collect, into: &evaluated)
        case .unevaluatedItems: return checkUnevaluatedItems(compiled, instance, collect: collect, into: &evaluated)
        }
    }

    private mutating func checkType(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .type(let types) = compiled.keyword else { return true }
        if types.contains(typeOf: instance) { return true }
        if collect { report(compiled, "must be \(Self.describe(types)), got \(Self.typeName(of: instance))") }
        return false
    }

    private mutating func checkEnumeration(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .enumeration(let options) = compiled.keyword else { return true }
        for option in options where option.isSchemaEqual(to: instance) { return true }
        if collect {
            report(compiled, "must be one of \(options.map(Self.render).joined(separator: ", "))")
        }
        return false
    }

    private mutating func checkConstant(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .constant(let expected) = compiled.keyword else { return true }
        if expected.isSchemaEqual(to: instance) { return true }
        if collect { report(compiled, "must be equal to \(Self.render(expected))") }
        return false
    }

    private mutating func checkMinimum(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .minimum(let limit, let exclusive) = compiled.keyword else { return true }
        guard case .number(let number) = instance else { return true }
        if exclusive ? number > limit : number >= limit { return true }
        if collect { report(compiled, "must be \(exclusive ? ">" : ">=") \(limit)") }
        return false
    }

    private mutating func checkMaximum(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .maximum(let limit, let exclusive) = compiled.keyword else { return true }
        guard case .number(let number) = instance else { return true }
        if exclusive ? number < limit : number <= limit { return true }
        if collect { report(compiled, "must be \(exclusive ? "<" : "<=") \(limit)") }
        return false
    }

    private mutating func checkMultipleOf(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .multipleOf(let divisor) = compiled.keyword else { return true }
        guard case .number(let number) = instance else { return true }
        if divisor.divides(number) { return true }
        if collect { report(compiled, "must be a multiple of \(divisor.value)") }
        return false
    }

    private mutating func checkMinLength(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .minLength(let limit) = compiled.keyword else { return true }
        guard case .string(let string) = instance else { return true }
        // Length in code points; the UTF-8 byte count is a cheap upper bound.
        if string.utf8.count >= limit, string.unicodeScalars.count >= limit { return true }
        if collect { report(compiled, "must be at least \(Self.plural(limit, "character")) long") }
        return false
    }

    private mutating func checkMaxLength(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .maxLength(let limit) = compiled.keyword else { return true }
        guard case .string(let string) = instance else { return true }
        if string.utf8.count <= limit || string.unicodeScalars.count <= limit { return true }
        if collect { report(compiled, "must be at most \(Self.plural(limit, "character")) long") }
        return false
    }

    private mutating func checkPattern(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .pattern(let regex) = compiled.keyword else { return true }
        guard case .string(let string) = instance else { return true }
        if regex.matches(string) { return true }
        if collect { report(compiled, "must match pattern \"\(regex.source)\"") }
        return false
    }

    private mutating func checkFormat(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .format(let format) = compiled.keyword else { return true }
        guard case .string(let string) = instance else { return true }
        if format.accepts(string) { return true }
        if collect { report(compiled, "must match format \"\(format.rawValue)\"") }
        return false
    }

    private mutating func checkMinItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .minItems(let limit) = compiled.keyword else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count >= limit { return true }
        if collect { report(compiled, "must have at least \(Self.plural(limit, "item"))") }
        return false
    }

    private mutating func checkMaxItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .maxItems(let limit) = compiled.keyword else { return true }
        guard case .array(let items) = instance else { return true }
        if items.count <= limit { return true }
        if collect { report(compiled, "must have at most \(Self.plural(limit, "item"))") }
        return false
    }

    private mutating func checkUniqueItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .array(let items) = instance, items.count > 1 else { return true }
        guard let (first, second) = Self.firstDuplicate(in: items) else { return true }
        if collect {
            report(compiled, "must not contain duplicate items (items \(first) and \(second) are equal)")
        }
        return false
    }

    private mutating func checkMinProperties(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .minProperties(let limit) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        if members.count >= limit { return true }
        if collect { report(compiled, "must have at least \(Self.plural(limit, "property", "properties"))") }
        return false
    }

    private mutating func checkMaxProperties(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .maxProperties(let limit) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        if members.count <= limit { return true }
        if collect { report(compiled, "must have at most \(Self.plural(limit, "property", "properties"))") }
        return false
    }

    private mutating func checkRequired(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .required(let names) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        for name in names where members[name] == nil {
            valid = false
            guard collect else { return false }
            report(compiled, "missing required property \"\(name)\"")
        }
        return valid
    }

    private mutating func checkDependentRequired(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .dependentRequired(let dependencies) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        for (property, required) in dependencies where members[property] != nil {
            for name in required where members[name] == nil {
                valid = false
                guard collect else { return false }
                report(compiled, "property \"\(name)\" is required when \"\(property)\" is present")
            }
        }
        return valid
    }

    private mutating func checkMembers(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .members(let keyword) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        for (name, value) in members {
            var matched = false
            if let node = keyword.properties[name] {
                matched = true
                if !evaluate(node, child: value, at: .key(name), collect: collect) {
                    valid = false
                    if !collect { return false }
                }
            }
            for (regex, node) in keyword.patterns where regex.matches(name) {
                matched = true
                if !evaluate(node, child: value, at: .key(name), collect: collect) {
                    valid = false
                    if !collect { return false }
                }
            }
            if !matched, let additional = keyword.additional {
                matched = true
                if keyword.additionalIsFalse {
                    valid = false
                    guard collect else { return false }
                    report(
                        keyword: "additionalProperties", at: keyword.additionalPath!,
                        "property \"\(name)\" is not allowed")
                } else if !evaluate(additional, child: value, at: .key(name), collect: collect) {
                    valid = false
                    if !collect { return false }
                }
            }
            if matched, program.tracksEvaluated { evaluated.properties.insert(name) }
        }
        return valid
    }

    private mutating func checkPropertyNames(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .propertyNames(let node) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        // A name is a new instance, one level down for reference-cycle detection.
        depth += 1
        defer { depth -= 1 }
        for name in members.keys {
            let before = errors.count
            var ignored = Evaluated()
            if !evaluate(node, .string(name), collect: collect, into: &ignored) {
                valid = false
                guard collect else { return false }
                // A name is not an instance location: report it on the object, naming the property.
                for offset in before..<errors.count {
                    let inner = errors[offset]
                    errors[offset] = ValidationError(
                        instancePath: inner.instancePath, keyword: inner.keyword, schemaPath: inner.schemaPath,
                        message: "property name \"\(name)\" \(inner.message)")
                }
            }
        }
        return valid
    }

    private mutating func checkDependentSchemas(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .dependentSchemas(let dependencies) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        for (property, node) in dependencies where members[property] != nil {
            if !evaluate(node, instance, collect: collect, into: &evaluated) {
                valid = false
                if !collect { return false }
            }
        }
        return valid
    }

    private mutating func checkPrefixItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .prefixItems(let nodes) = compiled.keyword else { return true }
        guard case .array(let items) = instance else { return true }
        var valid = true
        let count = min(nodes.count, items.count)
        if program.tracksEvaluated { evaluated.itemCount = max(evaluated.itemCount, count) }
        for offset in 0..<count where !evaluate(nodes[offset], child: items[offset], at: .index(offset), collect: collect) {
            valid = false
            if !collect { return false }
        }
        return valid
    }

    private mutating func checkItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .items(let node, let prefixCount) = compiled.keyword else { return true }
        guard case .array(let items) = instance, items.count > prefixCount else { return true }
        if program.tracksEvaluated { evaluated.itemCount = Int.max }
        if program.nodes[node].constant == false {
            if collect { report(compiled, "must have at most \(Self.plural(prefixCount, "item"))") }
            return false
        }
        var valid = true
        for offset in prefixCount..<items.count
        where !evaluate(node, child: items[offset], at: .index(offset), collect: collect) {
            valid = false
            if !collect { return false }
        }
        return valid
    }

    private mutating func checkContains(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .contains(let keyword) = compiled.keyword else { return true }
        guard case .array(let items) = instance else { return true }
        var matches = 0
        for (offset, item) in items.enumerated() {
            if evaluate(keyword.node, child: item, at: .index(offset), collect: false) {
                matches += 1
                if program.tracksEvaluated {
                    evaluated.items.insert(offset)
                } else if keyword.maximum == nil, matches >= keyword.minimum {
                    break
                }
            }
        }
        if matches < keyword.minimum {
            if collect {
                let what = "\(Self.plural(keyword.minimum, "item")) matching the contains schema"
                if let minPath = keyword.minPath {
                    report(keyword: "minContains", at: minPath, "must contain at least \(what)")
                } else {
                    report(compiled, "must contain at least \(what)")
                }
            }
            return false
        }
        if let maximum = keyword.maximum, matches > maximum {
            if collect, let maxPath = keyword.maxPath {
                report(
                    keyword: "maxContains", at: maxPath,
                    "must contain at most \(Self.plural(maximum, "item")) matching the contains schema")
            }
            return false
        }
        return true
    }

    private mutating func checkAllOf(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .allOf(let nodes) = compiled.keyword else { return true }
        var valid = true
        for node in nodes where !evaluate(node, instance, collect: collect, into: &evaluated) {
            valid = false
            if !collect { return false }
        }
        return valid
    }

    private mutating func checkAnyOf(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .anyOf(let nodes) = compiled.keyword else { return true }
        var valid = false
        for node in nodes where evaluate(node, instance, collect: false, into: &evaluated) {
            valid = true
            // Every valid branch contributes annotations, so keep going when they are tracked.
            if !program.tracksEvaluated { break }
        }
        if !valid, collect { report(compiled, "must match at least one of the anyOf schemas") }
        return valid
    }

    private mutating func checkOneOf(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .oneOf(let nodes) = compiled.keyword else { return true }
        var matched: [Int] = []
        var branch = Evaluated()
        for (offset, node) in nodes.enumerated() where evaluate(node, instance, collect: false, into: &branch) {
            matched.append(offset)
            if matched.count > 1, !program.tracksEvaluated { break }
        }
        if matched.count == 1 {
            if program.tracksEvaluated { evaluated.merge(branch) }
            return true
        }
        if collect {
            let detail =
                matched.isEmpty
                ? "matched none" : "matched \(matched.map(String.init).joined(separator: " and "))"
            report(compiled, "must match exactly one of the oneOf schemas, \(detail)")
        }
        return false
    }

    private mutating func checkNot(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .not(let node) = compiled.keyword else { return true }
        var ignored = Evaluated()
        if !evaluate(node, instance, collect: false, into: &ignored) { return true }
        if collect { report(keyword: "not", at: compiled.schemaPath, "must not match the schema in not") }
        return false
    }

    private mutating func checkConditional(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .conditional(let condition, let then, let otherwise) = compiled.keyword else { return true }
        if then == nil, otherwise == nil, !program.tracksEvaluated { return true }
        if evaluate(condition, instance, collect: false, into: &evaluated) {
            guard let then else { return true }
            return evaluate(then, instance, collect: collect, into: &evaluated)
        }
        guard let otherwise else { return true }
        return evaluate(otherwise, instance, collect: collect, into: &evaluated)
    }

    private mutating func checkRef(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .ref(let node) = compiled.keyword else { return true }
        return follow(node, compiled, instance, collect: collect, into: &evaluated)
    }

    private mutating func checkDynamicRef(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .dynamicRef(let node, let anchor) = compiled.keyword else { return true }
        var target = node
        if let anchor {
            // The outermost resource in the dynamic scope with this anchor wins.
            for resource in dynamicScope {
                if let found = program.resources[resource].dynamicAnchors[anchor] {
                    target = found
                    break
                }
            }
        }
        return follow(target, compiled, instance, collect: collect, into: &evaluated)
    }

    private mutating func checkUnevaluatedProperties(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .unevaluatedProperties(let node) = compiled.keyword else { return true }
        guard case .object(let members) = instance else { return true }
        var valid = true
        for (name, value) in members where !evaluated.isEvaluated(property: name) {
            if program.nodes[node].constant == false {
                valid = false
                guard collect else { return false }
                report(compiled, "property \"\(name)\" is not allowed")
            } else if !evaluate(node, child: value, at: .key(name), collect: collect) {
                valid = false
                if !collect { return false }
            }
        }
        if valid { evaluated.allProperties = true }
        return valid
    }

    private mutating func checkUnevaluatedItems(
        _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        guard case .unevaluatedItems(let node) = compiled.keyword else { return true }
        guard case .array(let items) = instance else { return true }
        var valid = true
        for (offset, item) in items.enumerated() where !evaluated.isEvaluated(item: offset) {
            if program.nodes[node].constant == false {
                valid = false
                guard collect else { return false }
                report(compiled, "item \(offset) is not allowed")
            } else if !evaluate(node, child: item, at: .index(offset), collect: collect) {
                valid = false
                if !collect { return false }
            }
        }
        if valid { evaluated.itemCount = Int.max }
        return valid
    }

    /// Follows a reference, refusing one that re-enters itself without consuming any instance.
    private mutating func follow(
        _ node: Int, _ compiled: CompiledKeyword, _ instance: JSONValue, collect: Bool, into evaluated: inout Evaluated
    ) -> Bool {
        for frame in referenceStack.reversed() {
            guard frame.depth == depth else { break }
            if frame.node == node {
                if collect { report(compiled, "the schema references itself without validating anything") }
                return false
            }
        }
        referenceStack.append((node, depth))
        defer { referenceStack.removeLast() }
        return evaluate(node, instance, collect: collect, into: &evaluated)
    }

    // MARK: Helpers

    /// Indexes of the first pair of equal items, if any.
    static func firstDuplicate(in items: [JSONValue]) -> (Int, Int)? {
        if items.count <= 8 {
            for second in 1..<items.count {
                for first in 0..<second where items[first].isSchemaEqual(to: items[second]) { return (first, second) }
            }
            return nil
        }
        var seen: [SchemaEqualityKey: Int] = [:]
        for (offset, item) in items.enumerated() {
            let key = SchemaEqualityKey(value: item)
            if let first = seen[key] { return (first, offset) }
            seen[key] = offset
        }
        return nil
    }

    static func typeName(of value: JSONValue) -> String {
        if case .number = value { return "number" }
        return value.typeName
    }

    static func describe(_ types: JSONTypeSet) -> String {
        let names = JSONTypeSet.names.filter { types.contains($0.1) }.map { name, _ -> String in
            switch name {
            case "null": "null"
            case "integer", "object", "array": "an \(name)"
            default: "a \(name)"
            }
        }
        guard names.count > 1 else { return names.first ?? "nothing" }
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// Strings as written, everything else as JSON.
    static func render(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return value.serialized()
    }

    static func plural(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }
}
