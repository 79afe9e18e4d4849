import Foundation

/// The signed JWT a certificate credential sends as `client_assertion` (Microsoft identity
/// platform certificate credentials): RS256, named by the certificate's thumbprints, for the token
/// endpoint, valid ten minutes.
enum ClientAssertion {
    static func make(
        clientID: String, audience: String, key: CertificateKey, now: Date = Date()
    ) throws(CredentialError) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let header: [String: String] = [
            "alg": "RS256", "typ": "JWT", "x5t": Base64URL.encode(key.sha1Thumbprint),
            "x5t#S256": Base64URL.encode(key.sha256Thumbprint),
        ]
        let claims: [String: any Sendable] = [
            "aud": audience, "iss": clientID, "sub": clientID, "jti": UUID().uuidString.lowercased(),
            "nbf": issued, "iat": issued, "exp": issued + 600,
        ]
        let signingInput = Base64URL.encode(json(header)) + "." + Base64URL.encode(json(claims))
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    private static func json(_ object: [String: any Sendable]) -> [UInt8] {
        // Sorted keys: the same claims make the same bytes, which the tests read back.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return [UInt8](data)
    }
}

/// Base64 with the URL alphabet and no padding (RFC 7515 §2).
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { [UInt8]($0) }
    }
}
