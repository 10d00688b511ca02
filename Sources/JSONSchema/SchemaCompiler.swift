import AgentCoreJSON

/// Turns a schema document into a `SchemaProgram`, refusing invalid schemas.
///
/// Compilation runs in two steps. Indexing walks every subschema of a
/// document (only through keywords that hold schemas, so an `$id` inside an
/// `enum` or an unknown keyword is not an identifier) and records the base
/// URI and resource of each location, every resource URI (`$id`) and every
/// `$anchor`/`$dynamicAnchor`. Compiling then builds one node per subschema
/// location, reached from the root and from references; a reference to a
/// document that is not loaded yet asks the bundled meta-schemas, then the
/// caller's resolver, so validation itself never does I/O.
struct SchemaCompiler {
    /// A subschema location: a document and the pointer tokens inside it.
    struct Location: Hashable {
        var document: Int
        var tokens: [String]

        func appending(_ tokens: String...) -> Location {
            Location(document: document, tokens: self.tokens + tokens)
        }
    }

    private struct Document {
        var uri: String
        var root: JSONValue
        /// Keywords of vocabularies the document's meta-schema does not list.
        var inactiveKeywords: Set<String> = []
    }

    private struct LocationInfo {
        var base: SchemaURI
        var resource: Int
    }

    private struct Resource {
        var uri: String
        var location: Location
        var dynamicAnchors: [String: Location] = [:]
    }

    /// The base URI of a schema without `$id`. Relative references resolve
    /// against it; it never names anything outside the document.
    static let defaultBaseURI = "agentcore:///schema.json"

    private var documents: [Document] = []
    private var resources: [Resource] = []
    private var resourcesByURI: [String: Location] = [:]
    private var anchors: [String: Location] = [:]
    private var locationInfo: [Location: LocationInfo] = [:]
    private var nodes: [SchemaNode] = []
    private var nodeIndex: [Location: Int] = [:]
    private var compiledResources: Set<Int> = []
    private var tracksEvaluated = false
    private var usesDynamicScope = false
    private let remoteResolver: (String) -> JSONValue?

    init(remoteResolver: @escaping (String) -> JSONValue?) {
        self.remoteResolver = remoteResolver
    }

    /// Compiles `schema` and everything it references.
    static func compile(
        _ schema: JSONValue, remoteResolver: @escaping (String) -> JSONValue?
    ) throws(SchemaCompilationError) -> SchemaProgram {
        var compiler = SchemaCompiler(remoteResolver: remoteResolver)
        let document = compiler.addDocument(schema, uri: defaultBaseURI)
        let root = try compiler.compileNode(at: Location(document: document, tokens: []))
        return try compiler.finish(root: root)
    }

    private mutating func finish(root: Int) throws(SchemaCompilationError) -> SchemaProgram {
        // Dynamic anchors of every resource evaluation can enter must be compiled.
        if usesDynamicScope {
            var done: Set<Int> = []
            while let resource = compiledResources.subtracting(done).first {
                done.insert(resource)
                for location in resources[resource].dynamicAnchors.values {
                    _ = try compileNode(at: location)
                }
            }
        }
        let programResources = resources.map { resource in
            SchemaResource(
                uri: resource.uri,
                dynamicAnchors: resource.dynamicAnchors.compactMapValues { nodeIndex[$0] })
        }
        return SchemaProgram(
            nodes: nodes, resources: programResources, root: root, tracksEvaluated: tracksEvaluated,
            usesDynamicScope: usesDynamicScope)
    }

    // MARK: Documents and indexing

    private mutating func addDocument(_ root: JSONValue, uri: String) -> Int {
        let document = documents.count
        documents.append(Document(uri: uri, root: root))
        let location = Location(document: document, tokens: [])
        let resource = addResource(uri: uri, location: location)
        indexSchema(root, at: location, base: SchemaURI(parsing: uri), resource: resource)
        documents[document].inactiveKeywords = inactiveKeywords(metaSchema: root["$schema"]?.stringValue)
        return document
    }

    /// Keywords switched off by a custom meta-schema's `$vocabulary` (none for the standard one).
    private mutating func inactiveKeywords(metaSchema uri: String?) -> Set<String> {
        guard let uri, uri != "https://json-schema.org/draft/2020-12/schema",
            let location = loadResource(SchemaURI(parsing: uri).withoutFragment.description),
            case .object(let vocabularies)? = value(at: location)?["$vocabulary"]
        else { return [] }
        var inactive: Set<String> = []
        for (vocabulary, keywords) in Self.vocabularyKeywords where vocabularies[vocabulary] == nil {
            inactive.formUnion(keywords)
        }
        for (vocabulary, keywords) in Self.vocabularyKeywords where vocabularies[vocabulary] != nil {
            inactive.subtract(keywords)
        }
        return inactive
    }

    private static let vocabularyKeywords: [String: [String]] = [
        "https://json-schema.org/draft/2020-12/vocab/applicator": [
            "prefixItems", "items", "contains", "additionalProperties", "properties", "patternProperties",
            "dependentSchemas", "propertyNames", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
        ],
        "https://json-schema.org/draft/2020-12/vocab/unevaluated": ["unevaluatedItems", "unevaluatedProperties"],
        "https://json-schema.org/draft/2020-12/vocab/validation": [
            "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
            "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
            "maxProperties", "minProperties", "required", "dependentRequired",
        ],
        "https://json-schema.org/draft/2020-12/vocab/format-annotation": ["format"],
        "https://json-schema.org/draft/2020-12/vocab/format-assertion": ["format"],
    ]

    private mutating func addResource(uri: String, location: Location) -> Int {
        resources.append(Resource(uri: uri, location: location))
        if resourcesByURI[uri] == nil { resourcesByURI[uri] = location }
        return resources.count - 1
    }

    private static let schemaKeywords: Set<String> = [
        "additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then",
        "unevaluatedItems", "unevaluatedProperties", "contentSchema",
    ]
    private static let schemaMapKeywords: Set<String> = [
        "$defs", "definitions", "dependentSchemas", "patternProperties", "properties",
    ]
    private static let schemaArrayKeywords: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]

    private mutating func indexSchema(_ value: JSONValue, at location: Location, base: SchemaURI, resource: Int) {
        guard case .object(let members) = value else {
            locationInfo[location] = LocationInfo(base: base, resource: resource)
            return
        }
        var base = base
        var resource = resource
        if case .string(let id)? = members["$id"] {
            let uri = SchemaURI(parsing: id).resolved(against: base).withoutFragment
            base = uri
            if location.tokens.isEmpty {
                // A document's own `$id` renames its root resource; the retrieval URI still finds it.
                resources[resource].uri = uri.description
                resourcesByURI[uri.description] = location
            } else {
                resource = addResource(uri: uri.description, location: location)
            }
        }
        locationInfo[location] = LocationInfo(base: base, resource: resource)
        if case .string(let anchor)? = members["$anchor"] {
            anchors[base.description + "#" + anchor] = location
        }
        if case .string(let anchor)? = members["$dynamicAnchor"] {
            anchors[base.description + "#" + anchor] = location
            resources[resource].dynamicAnchors[anchor] = location
        }
        for (keyword, child) in members {
            if Self.schemaKeywords.contains(keyword) {
                indexSchema(child, at: location.appending(keyword), base: base, resource: resource)
            } else if Self.schemaMapKeywords.contains(keyword), case .object(let entries) = child {
                for (name, subschema) in entries {
                    indexSchema(subschema, at: location.appending(keyword, name), base: base, resource: resource)
                }
            } else if Self.schemaArrayKeywords.contains(keyword), case .array(let elements) = child {
                for (offset, subschema) in elements.enumerated() {
                    indexSchema(
                        subschema, at: location.appending(keyword, String(offset)), base: base, resource: resource)
                }
            }
        }
    }

    /// The base URI and resource of a location; one outside the indexed
    /// subschemas (inside an unknown keyword) takes its nearest indexed ancestor's.
    private func info(for location: Location) -> LocationInfo {
        var probe = location
        while true {
            if let info = locationInfo[probe] { return info }
            if probe.tokens.isEmpty { break }
            probe.tokens.removeLast()
        }
        return LocationInfo(base: SchemaURI(parsing: documents[location.document].uri), resource: 0)
    }

    // MARK: References

    /// The location a `$ref`/`$dynamicRef` value names, loading its document when needed.
    private mutating func resolve(
        _ reference: String, base: SchemaURI, keywordAt path: Location
    ) throws(SchemaCompilationError) -> Location {
        let uri = SchemaURI(parsing: reference).resolved(against: base)
        let resourceURI = uri.withoutFragment.description
        guard let resource = loadResource(resourceURI) else {
            throw error(at: path, "cannot resolve reference \"\(reference)\": no schema is known as \(resourceURI)")
        }
        let fragment = uri.decodedFragment
        if fragment.isEmpty { return resource }
        if fragment.hasPrefix("/") {
            let pointer: JSONPointer
            do {
                pointer = try JSONPointer(parsing: fragment)
            } catch {
                throw self.error(at: path, "reference \"\(reference)\" has an invalid JSON Pointer: \(error.message)")
            }
            let target = Location(document: resource.document, tokens: resource.tokens + pointer.tokens)
            guard value(at: target) != nil else {
                throw error(at: path, "cannot resolve reference \"\(reference)\": nothing at \(fragment)")
            }
            return target
        }
        guard let anchor = anchors[resourceURI + "#" + fragment] else {
            throw error(at: path, "cannot resolve reference \"\(reference)\": no anchor \"\(fragment)\" in \(resourceURI)")
        }
        return anchor
    }

    private mutating func loadResource(_ uri: String) -> Location? {
        if let location = resourcesByURI[uri] { return location }
        let document: JSONValue?
        if let text = MetaSchemas.documents[uri] {
            document = try? JSONValue(parsing: text)
        } else {
            document = remoteResolver(uri)
        }
        guard let document else { return nil }
        _ = addDocument(document, uri: uri)
        return resourcesByURI[uri]
    }

    private func value(at location: Location) -> JSONValue? {
        documents[location.document].root[JSONPointer(tokens: location.tokens)]
    }

    private func error(at location: Location, _ message: String) -> SchemaCompilationError {
        let document = documents[location.document]
        let prefix = location.document == 0 ? "" : "in \(document.uri): "
        return SchemaCompilationError(schemaPath: JSONPointer(tokens: location.tokens), message: prefix + message)
    }

    // MARK: Nodes

    private mutating func compileNode(at location: Location) throws(SchemaCompilationError) -> Int {
        if let index = nodeIndex[location] { return index }
        guard let schema = value(at: location) else {
            throw error(at: location, "no schema at this location")
        }
        let info = info(for: location)
        let index = nodes.count
        let pointer = JSONPointer(tokens: location.tokens)
        nodes.append(.placeholder(location: pointer, resource: info.resource))
        nodeIndex[location] = index
        compiledResources.insert(info.resource)
        switch schema {
        case .bool(let constant):
            nodes[index].constant = constant
        case .object(var members):
            for keyword in documents[location.document].inactiveKeywords { members[keyword] = nil }
            nodes[index] = try compileObject(members, at: location, info: info)
        default:
            throw error(at: location, "a schema must be an object or a boolean, got \(schema.typeName)")
        }
        return index
    }

    private mutating func compileObject(
        _ members: [String: JSONValue], at location: Location, info: LocationInfo
    ) throws(SchemaCompilationError) -> SchemaNode {
        var node = SchemaNode.placeholder(location: JSONPointer(tokens: location.tokens), resource: info.resource)
        node.constant = nil
        var keywords: [CompiledKeyword] = []
        func add(_ keyword: Keyword, _ name: String) {
            keywords.append(CompiledKeyword(keyword: keyword, schemaPath: JSONPointer(tokens: location.tokens + [name])))
        }
        func at(_ name: String) -> Location { location.appending(name) }

        // Core
        for name in ["$id", "$schema", "$comment"] {
            if let value = members[name], value.stringValue == nil {
                throw error(at: at(name), "\(name) must be a string, got \(value.typeName)")
            }
        }
        for name in ["$anchor", "$dynamicAnchor"] {
            if let value = members[name] {
                guard let anchor = value.stringValue, Self.isAnchorName(anchor) else {
                    throw error(at: at(name), "\(name) must be a name matching ^[A-Za-z_][-A-Za-z0-9._]*$")
                }
            }
        }
        if let defs = members["$defs"] {
            guard case .object(let entries) = defs else {
                throw error(at: at("$defs"), "$defs must be an object, got \(defs.typeName)")
            }
            for name in entries.keys.sorted() { _ = try compileNode(at: location.appending("$defs", name)) }
        }

        // Validation: any type
        if let value = members["type"] {
            add(.type(try typeSet(value, at: at("type"))), "type")
        }
        if let value = members["const"] {
            add(.constant(value), "const")
        }
        if let value = members["enum"] {
            guard case .array(let options) = value else {
                throw error(at: at("enum"), "enum must be an array, got \(value.typeName)")
            }
            add(.enumeration(options), "enum")
        }

        // Validation: numbers
        for (name, isMinimum, exclusive) in [
            ("minimum", true, false), ("exclusiveMinimum", true, true), ("maximum", false, false),
            ("exclusiveMaximum", false, true),
        ] {
            guard let value = members[name] else { continue }
            guard case .number(let limit) = value else {
                throw error(at: at(name), "\(name) must be a number, got \(value.typeName)")
            }
            add(isMinimum ? .minimum(limit, exclusive: exclusive) : .maximum(limit, exclusive: exclusive), name)
        }
        if let value = members["multipleOf"] {
            guard case .number(let divisor) = value, !divisor.isNegative, !divisor.isZero else {
                throw error(at: at("multipleOf"), "multipleOf must be a number greater than 0, got \(value)")
            }
            add(.multipleOf(DecimalDivisor(divisor)), "multipleOf")
        }

        // Validation: strings
        if let limit = try count(members, "minLength", at: location) { add(.minLength(limit), "minLength") }
        if let limit = try count(members, "maxLength", at: location) { add(.maxLength(limit), "maxLength") }
        if let value = members["pattern"] {
            add(.pattern(try regex(value, at: at("pattern"), what: "pattern")), "pattern")
        }
        if let value = members["format"] {
            guard let name = value.stringValue else {
                throw error(at: at("format"), "format must be a string, got \(value.typeName)")
            }
            if let format = StringFormat(rawValue: name) { add(.format(format), "format") }
        }

        // Validation: arrays
        if let limit = try count(members, "minItems", at: location) { add(.minItems(limit), "minItems") }
        if let limit = try count(members, "maxItems", at: location) { add(.maxItems(limit), "maxItems") }
        if let value = members["uniqueItems"] {
            guard case .bool(let unique) = value else {
                throw error(at: at("uniqueItems"), "uniqueItems must be a boolean, got \(value.typeName)")
            }
            if unique { add(.uniqueItems, "uniqueItems") }
        }
        var prefixCount = 0
        if let value = members["prefixItems"] {
            let items = try schemaArray(value, "prefixItems", at: location)
            prefixCount = items.count
            add(.prefixItems(items), "prefixItems")
        }
        if members["items"] != nil {
            add(.items(node: try compileNode(at: at("items")), prefixCount: prefixCount), "items")
        }
        let minContains = try count(members, "minContains", at: location)
        let maxContains = try count(members, "maxContains", at: location)
        if members["contains"] != nil {
            let contains = ContainsKeyword(
                node: try compileNode(at: at("contains")), minimum: minContains ?? 1, maximum: maxContains,
                minPath: minContains == nil ? nil : JSONPointer(tokens: location.tokens + ["minContains"]),
                maxPath: maxContains == nil ? nil : JSONPointer(tokens: location.tokens + ["maxContains"]))
            add(.contains(contains), "contains")
        }

        // Validation: objects
        if let limit = try count(members, "minProperties", at: location) { add(.minProperties(limit), "minProperties") }
        if let limit = try count(members, "maxProperties", at: location) { add(.maxProperties(limit), "maxProperties") }
        if let value = members["required"] {
            add(.required(try stringArray(value, at: at("required"), what: "required")), "required")
        }
        if let value = members["dependentRequired"] {
            guard case .object(let entries) = value else {
                throw error(at: at("dependentRequired"), "dependentRequired must be an object, got \(value.typeName)")
            }
            var dependencies: [(property: String, required: [String])] = []
            for name in entries.keys.sorted() {
                let names = try stringArray(
                    entries[name]!, at: location.appending("dependentRequired", name), what: "dependentRequired/\(name)")
                dependencies.append((name, names))
            }
            add(.dependentRequired(dependencies), "dependentRequired")
        }
        if members["properties"] != nil || members["patternProperties"] != nil
            || members["additionalProperties"] != nil
        {
            var keyword = MembersKeyword(properties: [:], patterns: [], additional: nil, additionalIsFalse: false)
            if let value = members["properties"] {
                for (name, node) in try schemaMap(value, "properties", at: location) { keyword.properties[name] = node }
            }
            if let value = members["patternProperties"] {
                guard case .object(let entries) = value else {
                    throw error(
                        at: at("patternProperties"), "patternProperties must be an object, got \(value.typeName)")
                }
                for source in entries.keys.sorted() {
                    let regex = try regex(.string(source), at: at("patternProperties"), what: "patternProperties")
                    keyword.patterns.append((regex, try compileNode(at: location.appending("patternProperties", source))))
                }
            }
            if let value = members["additionalProperties"] {
                keyword.additional = try compileNode(at: at("additionalProperties"))
                keyword.additionalIsFalse = value == .bool(false)
                keyword.additionalPath = JSONPointer(tokens: location.tokens + ["additionalProperties"])
            }
            let name = ["properties", "patternProperties", "additionalProperties"].first { members[$0] != nil }!
            add(.members(keyword), name)
        }
        if members["propertyNames"] != nil {
            add(.propertyNames(try compileNode(at: at("propertyNames"))), "propertyNames")
        }
        if let value = members["dependentSchemas"] {
            let entries = try schemaMap(value, "dependentSchemas", at: location)
            add(.dependentSchemas(entries.map { (property: $0.name, node: $0.node) }), "dependentSchemas")
        }

        // Applicators
        if let value = members["$ref"] {
            guard let reference = value.stringValue else {
                throw error(at: at("$ref"), "$ref must be a string, got \(value.typeName)")
            }
            let target = try resolve(reference, base: info.base, keywordAt: at("$ref"))
            add(.ref(try compileNode(at: target)), "$ref")
        }
        if let value = members["$dynamicRef"] {
            guard let reference = value.stringValue else {
                throw error(at: at("$dynamicRef"), "$dynamicRef must be a string, got \(value.typeName)")
            }
            let target = try resolve(reference, base: info.base, keywordAt: at("$dynamicRef"))
            let fragment = SchemaURI(parsing: reference).decodedFragment
            var anchor: String?
            if !fragment.isEmpty, !fragment.hasPrefix("/"),
                self.value(at: target)?["$dynamicAnchor"]?.stringValue == fragment
            {
                anchor = fragment
                usesDynamicScope = true
            }
            add(.dynamicRef(node: try compileNode(at: target), anchor: anchor), "$dynamicRef")
        }
        if let value = members["allOf"] { add(.allOf(try schemaArray(value, "allOf", at: location)), "allOf") }
        if let value = members["anyOf"] { add(.anyOf(try schemaArray(value, "anyOf", at: location)), "anyOf") }
        if let value = members["oneOf"] { add(.oneOf(try schemaArray(value, "oneOf", at: location)), "oneOf") }
        if members["not"] != nil { add(.not(try compileNode(at: at("not"))), "not") }
        if members["if"] != nil {
            let condition = try compileNode(at: at("if"))
            let then = members["then"] == nil ? nil : try compileNode(at: at("then"))
            let otherwise = members["else"] == nil ? nil : try compileNode(at: at("else"))
            // Kept even without `then`/`else`: `if` still contributes annotations.
            add(.conditional(if: condition, then: then, else: otherwise), "if")
        } else {
            // Without `if`, `then` and `else` do nothing, but must still be schemas.
            if members["then"] != nil { _ = try compileNode(at: at("then")) }
            if members["else"] != nil { _ = try compileNode(at: at("else")) }
        }

        // Unevaluated: last, so they see every sibling's annotations.
        if members["unevaluatedItems"] != nil {
            tracksEvaluated = true
            add(.unevaluatedItems(try compileNode(at: at("unevaluatedItems"))), "unevaluatedItems")
        }
        if members["unevaluatedProperties"] != nil {
            tracksEvaluated = true
            add(.unevaluatedProperties(try compileNode(at: at("unevaluatedProperties"))), "unevaluatedProperties")
        }

        // Annotations kept for callers
        for name in ["title", "description"] {
            if let value = members[name], value.stringValue == nil {
                throw error(at: at(name), "\(name) must be a string, got \(value.typeName)")
            }
        }
        for name in ["writeOnly", "readOnly", "deprecated"] {
            if let value = members[name], value.boolValue == nil {
                throw error(at: at(name), "\(name) must be a boolean, got \(value.typeName)")
            }
        }
        node.title = members["title"]?.stringValue
        node.description = members["description"]?.stringValue
        node.writeOnly = members["writeOnly"]?.boolValue ?? false
        node.defaultValue = members["default"]
        node.keywords = keywords
        return node
    }

    // MARK: Keyword values

    private static func isAnchorName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, FormatGrammar.isAlpha(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.dropFirst().allSatisfy {
            FormatGrammar.isAlpha($0) || FormatGrammar.isDigit($0) || "-._".utf8.contains($0)
        }
    }

    private func typeSet(_ value: JSONValue, at location: Location) throws(SchemaCompilationError) -> JSONTypeSet {
        let names: [JSONValue]
        switch value {
        case .string: names = [value]
        case .array(let elements) where !elements.isEmpty: names = elements
        default:
            throw error(at: location, "type must be a type name or a non-empty array of type names, got \(value)")
        }
        var set: JSONTypeSet = []
        for name in names {
            guard let text = name.stringValue, let type = JSONTypeSet(name: text) else {
                throw error(
                    at: location,
                    "type must name array, boolean, integer, null, number, object or string, got \(name)")
            }
            guard !set.contains(type) else { throw error(at: location, "type lists \(text) twice") }
            set.insert(type)
        }
        return set
    }

    /// A non-negative integer keyword (`1.0` counts as an integer).
    private func count(
        _ members: [String: JSONValue], _ name: String, at location: Location
    ) throws(SchemaCompilationError) -> Int? {
        guard let value = members[name] else { return nil }
        guard case .number(let number) = value, number.isInteger, !number.isNegative else {
            throw error(at: location.appending(name), "\(name) must be a non-negative integer, got \(value)")
        }
        return number.int64Value.map { Int(clamping: $0) } ?? Int.max
    }

    private func regex(_ value: JSONValue, at location: Location, what: String) throws(SchemaCompilationError) -> ECMARegex {
        guard let source = value.stringValue else {
            throw error(at: location, "\(what) must be a string, got \(value.typeName)")
        }
        do {
            return try ECMARegex(source)
        } catch {
            throw self.error(at: location, "\(what) \"\(source)\" is not a valid regular expression")
        }
    }

    private func stringArray(_ value: JSONValue, at location: Location, what: String) throws(SchemaCompilationError)
        -> [String]
    {
        guard case .array(let elements) = value else {
            throw error(at: location, "\(what) must be an array of strings, got \(value.typeName)")
        }
        var names: [String] = []
        for element in elements {
            guard let name = element.stringValue else {
                throw error(at: location, "\(what) must be an array of strings, got \(element)")
            }
            guard !names.contains(name) else { throw error(at: location, "\(what) lists \"\(name)\" twice") }
            names.append(name)
        }
        return names
    }

    private mutating func schemaArray(
        _ value: JSONValue, _ name: String, at location: Location
    ) throws(SchemaCompilationError) -> [Int] {
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw error(at: location.appending(name), "\(name) must be a non-empty array of schemas, got \(value)")
        }
        var nodes: [Int] = []
        for offset in elements.indices {
            nodes.append(try compileNode(at: location.appending(name, String(offset))))
        }
        return nodes
    }

    private mutating func schemaMap(
        _ value: JSONValue, _ name: String, at location: Location
    ) throws(SchemaCompilationError) -> [(name: String, node: Int)] {
        guard case .object(let entries) = value else {
            throw error(at: location.appending(name), "\(name) must be an object of schemas, got \(value.typeName)")
        }
        var result: [(name: String, node: Int)] = []
        for key in entries.keys.sorted() {
            result.append((key, try compileNode(at: location.appending(name, key))))
        }
        return result
    }
}
