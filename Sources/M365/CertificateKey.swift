import CCrypto
import Foundation

/// A certificate and its private key from one PEM file, as registered on the app: its thumbprints
/// name it in the assertion's header and the key signs the assertion (RS256).
public struct CertificateKey: Sendable {
    /// The PEM text; the key is read from it for each signature rather than held as a C object.
    private let pem: [UInt8]
    /// SHA-1 and SHA-256 of the certificate's DER encoding (`x5t`, `x5t#S256`).
    public let sha1Thumbprint: [UInt8]
    public let sha256Thumbprint: [UInt8]

    public init(pemFile: String) throws(CredentialError) {
        guard let data = FileManager.default.contents(atPath: pemFile) else {
            throw CredentialError("cannot read the certificate file \(pemFile)")
        }
        try self.init(pem: [UInt8](data), name: pemFile)
    }

    public init(pem: [UInt8], name: String) throws(CredentialError) {
        self.pem = pem
        guard let thumbprints = Self.thumbprints(pem) else {
            throw CredentialError("\(name) holds no PEM certificate (BEGIN CERTIFICATE)")
        }
        (sha1Thumbprint, sha256Thumbprint) = thumbprints
        guard (try? sign([0])) != nil else {
            throw CredentialError(
                "\(name) holds no unencrypted RSA private key (BEGIN PRIVATE KEY) beside the certificate")
        }
    }

    /// RSA PKCS#1 v1.5 over SHA-256 of `message`.
    public func sign(_ message: [UInt8]) throws(CredentialError) -> [UInt8] {
        guard let signature = Self.rs256(message, pem: pem) else {
            throw CredentialError("signing with the certificate's private key failed")
        }
        return signature
    }

    // MARK: unsafe: libcrypto objects, each freed before the function returns

    private static func thumbprints(_ pem: [UInt8]) -> ([UInt8], [UInt8])? {
        pem.withUnsafeBytes { bytes -> ([UInt8], [UInt8])? in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            guard let certificate = PEM_read_bio_X509(bio, nil, nil, nil) else { return nil }
            defer { X509_free(certificate) }
            func digest(_ type: OpaquePointer?) -> [UInt8] {
                var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
                var length: UInt32 = 0
                guard X509_digest(certificate, type, &output, &length) == 1 else { return [] }
                return Array(output.prefix(Int(length)))
            }
            let sha1 = digest(EVP_sha1())
            let sha256 = digest(EVP_sha256())
            return sha1.isEmpty || sha256.isEmpty ? nil : (sha1, sha256)
        }
    }

    private static func rs256(_ message: [UInt8], pem: [UInt8]) -> [UInt8]? {
        pem.withUnsafeBytes { bytes -> [UInt8]? in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { return nil }
            defer { EVP_PKEY_free(key) }
            guard EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA, let context = EVP_MD_CTX_new() else { return nil }
            defer { EVP_MD_CTX_free(context) }
            guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { return nil }
            var length = 0
            guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { return nil }
            var signature = [UInt8](repeating: 0, count: length)
            guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else { return nil }
            return Array(signature.prefix(length))
        }
    }
}
