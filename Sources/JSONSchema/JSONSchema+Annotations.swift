public import AgentCoreJSON

extension JSONSchema {
    /// A copy of `instance` with missing object properties filled in from their schemas' `default`.
    ///
    /// A property is filled in when a `properties` entry that applies to the
    /// object has a `default` (on the property schema itself, or on what it
    /// reaches through `$ref` or `allOf`). Schemas apply as in validation:
    /// through `properties`, `patternProperties`, `additionalProperties`,
    /// `prefixItems`, `items`, `$ref`, `allOf`, the `anyOf`/`oneOf` branches
    /// the value matches, and `if`/`then`/`else`. Values already present are
    /// kept, and inserted defaults get their own nested defaults (to a depth
    /// of 32, so a recursive schema cannot loop). The result is not validated.
    public func applyingDefaults(to instance: JSONValue) -> JSONValue {
        let walker = AnnotationWalker(program: program)
        return walker.applyingDefaults([program.root], to: instance, insertedDepth: 0)
    }

    /// The paths of values in `instance` whose schema says `writeOnly: true`.
    ///
    /// Schemas apply as for `applyingDefaults(to:)`. A `writeOnly` value's own
    /// children are not listed separately: the whole value is write-only.
    /// Paths come sorted, array indexes in numeric order.
    public func writeOnlyPaths(in instance: JSONValue) -> [JSONPointer] {
        let walker = AnnotationWalker(program: program)
        var paths: [[String]] = []
        var path: [String] = []
        walker.collectWriteOnly([program.root], in: instance, path: &path, into: &paths)
        return paths.map(JSONPointer.init(tokens:))
    }
}

/// Walks the schema alongside an instance for annotation-driven transforms.
struct AnnotationWalker {
    let program: SchemaProgram

    /// The nodes that apply to `instance` at the same location as `nodes`, in schema order.
    func applicable(_ nodes: [Int], to instance: JSONValue?) -> [Int] {
        var result: [Int] = []
        var seen: Set<Int> = []
        for node in nodes { gather(node, instance, &result, &seen) }
        return result
    }

    private func gather(_ node: Int, _ instance: JSONValue?, _ result: inout [Int], _ seen: inout Set<Int>) {
        guard seen.insert(node).inserted else { return }
        result.append(node)
        for compiled in program.nodes[node].keywords {
            switch compiled.keyword {
            case .ref(let target), .dynamicRef(let target, _):
                gather(target, instance, &result, &seen)
            case .allOf(let targets):
                for target in targets { gather(target, instance, &result, &seen) }
            case .anyOf(let targets), .oneOf(let targets):
                guard let instance else { continue }
                for target in targets where isValid(target, instance) { gather(target, instance, &result, &seen) }
            case .conditional(let condition, let then, let otherwise):
                guard let instance else { continue }
                if isValid(condition, instance) {
                    gather(condition, instance, &result, &seen)
                    if let then { gather(then, instance, &result, &seen) }
                } else if let otherwise {
                    gather(otherwise, instance, &result, &seen)
                }
            case .dependentSchemas(let dependencies):
                guard case .object(let members)? = instance else { continue }
                for (property, target) in dependencies where members[property] != nil {
                    gather(target, instance, &result, &seen)
                }
            default:
                continue
            }
        }
    }

    private func isValid(_ node: Int, _ instance: JSONValue) -> Bool {
        var evaluator = SchemaEvaluator(program: program)
        var evaluated = Evaluated()
        return evaluator.evaluate(node, instance, collect: false, into: &evaluated)
    }

    /// The nodes that apply to each member of an object.
    private func memberNodes(_ group: [Int], _ members: [String: JSONValue]) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for node in group {
            for compiled in program.nodes[node].keywords {
                switch compiled.keyword {
                case .members(let keyword):
                    for name in members.keys {
                        var matched = false
                        if let child = keyword.properties[name] {
                            matched = true
                            result[name, default: []].append(child)
                        }
                        for (regex, child) in keyword.patterns where regex.matches(name) {
                            matched = true
                            result[name, default: []].append(child)
                        }
                        if !matched, let additional = keyword.additional { result[name, default: []].append(additional) }
                    }
                default:
                    continue
                }
            }
        }
        return result
    }

    /// The nodes that apply to each item of an array.
    private func itemNodes(_ group: [Int], count: Int) -> [[Int]] {
        var result = [[Int]](repeating: [], count: count)
        for node in group {
            for compiled in program.nodes[node].keywords {
                switch compiled.keyword {
                case .prefixItems(let children):
                    for offset in 0..<min(children.count, count) { result[offset].append(children[offset]) }
                case .items(let child, let prefixCount) where prefixCount < count:
                    for offset in prefixCount..<count { result[offset].append(child) }
                default:
                    continue
                }
            }
        }
        return result
    }

    // MARK: Defaults

    func applyingDefaults(_ nodes: [Int], to instance: JSONValue, insertedDepth: Int) -> JSONValue {
        let group = applicable(nodes, to: instance)
        switch instance {
        case .object(var members):
            var inserted: Set<String> = []
            if insertedDepth < 32 {
                for node in group {
                    for compiled in program.nodes[node].keywords {
                        guard case .members(let keyword) = compiled.keyword else { continue }
                        for (name, child) in keyword.properties where members[name] == nil {
                            if let value = defaultValue(of: child) {
                                members[name] = value
                                inserted.insert(name)
                            }
                        }
                    }
                }
            }
            for (name, children) in memberNodes(group, members) {
                let depth = inserted.contains(name) ? insertedDepth + 1 : insertedDepth
                members[name] = applyingDefaults(children, to: members[name]!, insertedDepth: depth)
            }
            return .object(members)
        case .array(var items):
            for (offset, children) in itemNodes(group, count: items.count).enumerated() where !children.isEmpty {
                items[offset] = applyingDefaults(children, to: items[offset], insertedDepth: insertedDepth)
            }
            return .array(items)
        default:
            return instance
        }
    }

    /// The first `default` on the node or what it applies unconditionally.
    private func defaultValue(of node: Int) -> JSONValue? {
        for candidate in applicable([node], to: nil) {
            if let value = program.nodes[candidate].defaultValue { return value }
        }
        return nil
    }

    // MARK: writeOnly

    func collectWriteOnly(_ nodes: [Int], in instance: JSONValue, path: inout [String], into paths: inout [[String]]) {
        let group = applicable(nodes, to: instance)
        if group.contains(where: { program.nodes[$0].writeOnly }) {
            paths.append(path)
            return
        }
        switch instance {
        case .object(let members):
            let children = memberNodes(group, members)
            for name in children.keys.sorted() {
                path.append(name)
                collectWriteOnly(children[name]!, in: members[name]!, path: &path, into: &paths)
                path.removeLast()
            }
        case .array(let items):
            for (offset, children) in itemNodes(group, count: items.count).enumerated() where !children.isEmpty {
                path.append(String(offset))
                collectWriteOnly(children, in: items[offset], path: &path, into: &paths)
                path.removeLast()
            }
        default:
            return
        }
    }
}
