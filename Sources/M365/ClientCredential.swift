import Foundation

/// How the app proves who it is to the token endpoint (OAuth2 client credentials): a client secret,
/// or a certificate whose private key signs a client assertion. Read from files or the environment
/// only, never from the command line, where `ps` would show them.
public enum ClientCredential: Sendable {
    case secret(String)
    case certificate(CertificateKey)

    /// The environment variable a secret may come from instead of a file.
    public static let secretVariable = "MAILHOUND_CLIENT_SECRET"

    /// The secret in `file` (trailing line breaks dropped).
    public static func secret(file: String) throws(CredentialError) -> ClientCredential {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CredentialError("cannot read the client secret file \(file)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !text.isEmpty else { throw CredentialError("the client secret file \(file) is empty") }
        return .secret(text)
    }

    public static func certificate(pemFile: String) throws(CredentialError) -> ClientCredential {
        .certificate(try CertificateKey(pemFile: pemFile))
    }
}

public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
