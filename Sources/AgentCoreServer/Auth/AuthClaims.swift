public import Foundation
public import JWTKit

/// The claims of an agentcore token. `sub` and `exp` are required; the others default to none.
public struct AuthClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var exp: ExpirationClaim
    public var permissions: [String]
    public var global: Bool
    public var departments: [String]

    public init(subject: String, expiresAt: Date, permissions: [String], global: Bool, departments: [String]) {
        sub = SubjectClaim(value: subject)
        // Whole seconds, as NumericDate is usually written.
        exp = ExpirationClaim(value: Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down)))
        self.permissions = permissions
        self.global = global
        self.departments = departments
    }

    enum CodingKeys: String, CodingKey {
        case sub, exp, permissions, global, departments
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sub = try container.decode(SubjectClaim.self, forKey: .sub)
        exp = try container.decode(ExpirationClaim.self, forKey: .exp)
        permissions = try container.decodeIfPresent([String].self, forKey: .permissions) ?? []
        global = try container.decodeIfPresent(Bool.self, forKey: .global) ?? false
        departments = try container.decodeIfPresent([String].self, forKey: .departments) ?? []
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }

    /// The caller these claims describe.
    public var principal: Principal {
        Principal(
            subject: sub.value,
            permissions: Set(permissions.compactMap(Permission.init(rawValue:))),
            isGlobal: global,
            departments: Set(departments)
        )
    }
}
