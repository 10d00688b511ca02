import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`, as `self[name]` answers it (several fields joined with
    /// ", ", cookies with "; "), without its cost on every request: the subscript joins through a lazy sequence
    /// and copies the value even when there is one field, which showed in the profile for
    /// `Authorization` (a few hundred bytes) on every authenticated request.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        var more: [String] = []
        for field in self where field.name == name {
            if found == nil { found = field.value } else { more.append(field.value) }
        }
        guard let first = found, !more.isEmpty else { return found }
        return ([first] + more).joined(separator: name == .cookie ? "; " : ", ")
    }
}
