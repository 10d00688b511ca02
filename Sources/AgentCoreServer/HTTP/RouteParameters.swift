import Hummingbird

extension AppRequestContext {
    /// A path parameter that must be a valid ``Identifier``. - Throws: 400 naming it.
    func identifier(_ name: String, as what: String) throws(APIError) -> String {
        guard let value = parameters.get(name) else { throw .badRequest("missing path parameter \(name)") }
        return try Identifier.validated(value, as: what)
    }
}
