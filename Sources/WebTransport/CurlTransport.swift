import CCurl
import Foundation

/// HTTP through libcurl: TLS verification always on (with an optional CA bundle), no redirects
/// followed, a connect timeout, a whole-request timeout, a stall timeout and a cap on the body, so
/// a slow or hostile server can neither hang a pull nor fill memory.
public struct CurlTransport: HTTPTransport {
    public struct Options: Sendable {
        /// PEM file of the certificate authorities to trust instead of the system's.
        public var caBundle: String?
        public var connectTimeout = 10
        public var requestTimeout = 300
        /// A transfer slower than 1 byte a second for this long is abandoned.
        public var stallTimeout = 60
        public var maxBodyBytes = 1 << 30

        public init() {}
    }

    public let options: Options

    public init(options: Options = Options()) {
        _ = Self.globalInit
        self.options = options
    }

    /// libcurl's global set-up is not thread-safe: done once, before any transfer.
    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public func send(_ request: HTTPRequest) throws(TransportError) -> HTTPResponse {
        do {
            try EndpointPolicy.check(request.url)
        } catch {
            throw TransportError(.refusedURL, url: request.url, detail: error.reason)
        }
        for header in request.headers where (header.name + header.value).contains(where: \.isNewline) {
            throw TransportError(.other, url: request.url, detail: "header \(header.name) holds a line break")
        }
        guard let handle = curl_easy_init() else {
            throw TransportError(.other, url: request.url, detail: "libcurl could not start a transfer")
        }
        defer { curl_easy_cleanup(handle) }
        let sink = ResponseSink(limit: options.maxBodyBytes)
        let code = withExtendedLifetime(sink) { perform(request, on: handle, into: sink) }
        guard code == CURLE_OK else { throw failure(code, sink: sink, url: request.url) }
        var status = 0
        _ = mh_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    // MARK: unsafe: libcurl's handle, header list and callbacks

    /// Sets the transfer up and runs it. The sink is reached from libcurl's callbacks through an
    /// unretained pointer, valid because the caller keeps the sink alive for the whole call.
    private func perform(
        _ request: HTTPRequest, on handle: UnsafeMutableRawPointer, into sink: ResponseSink
    ) -> CURLcode {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in request.headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        defer { curl_slist_free_all(list) }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var results = [
            mh_curl_set_string(handle, CURLOPT_URL, request.url),
            mh_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            mh_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            mh_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            mh_curl_set_long(handle, CURLOPT_SSL_VERIFYPEER, 1),
            mh_curl_set_long(handle, CURLOPT_SSL_VERIFYHOST, 2),
            mh_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, options.connectTimeout),
            mh_curl_set_long(handle, CURLOPT_TIMEOUT, options.requestTimeout),
            mh_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
            mh_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, options.stallTimeout),
            mh_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, ""),
            mh_curl_set_string(handle, CURLOPT_USERAGENT, "mailhound"),
            mh_curl_set_pointer(handle, CURLOPT_HTTPHEADER, list),
            mh_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, ResponseSink.receiveBody),
            mh_curl_set_pointer(handle, CURLOPT_WRITEDATA, context),
            mh_curl_set_callback(handle, CURLOPT_HEADERFUNCTION, ResponseSink.receiveHeader),
            mh_curl_set_pointer(handle, CURLOPT_HEADERDATA, context),
        ]
        if let caBundle = options.caBundle { results.append(mh_curl_set_string(handle, CURLOPT_CAINFO, caBundle)) }
        switch (request.method, request.body) {
        case ("GET", nil): break
        case ("POST", let body):
            let bytes = body ?? []
            results.append(mh_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count))
            // COPYPOSTFIELDS: libcurl keeps its own copy, so the array need not outlive this call.
            results.append(
                bytes.withUnsafeBytes { raw in
                    guard let base = raw.baseAddress else {
                        return mh_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                    }
                    return mh_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                })
        default:
            results.append(mh_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        if let refused = results.first(where: { $0 != CURLE_OK }) { return refused }
        return curl_easy_perform(handle)
    }

    private func failure(_ code: CURLcode, sink: ResponseSink, url: String) -> TransportError {
        let detail = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return TransportError(.timedOut, url: url, detail: detail)
        case CURLE_PARTIAL_FILE: return TransportError(.truncated, url: url, detail: "the body ended early: \(detail)")
        case CURLE_WRITE_ERROR where sink.overflowed:
            return TransportError(.tooLarge, url: url, detail: "the body exceeds \(options.maxBodyBytes) bytes")
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING:
            return TransportError(.connectionFailed, url: url, detail: detail)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE:
            return TransportError(.tls, url: url, detail: detail)
        default: return TransportError(.other, url: url, detail: detail)
        }
    }
}

/// What libcurl hands back during one transfer: header lines and body bytes, the body capped.
private final class ResponseSink {
    let limit: Int
    var headers: [HTTPHeader] = []
    var body: [UInt8] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    static let receiveBody: mh_curl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        guard sink.body.count + length <= sink.limit else {
            sink.overflowed = true
            return 0
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }

    /// One header line at a time; a status line starts the headers afresh (after `100 Continue`).
    static let receiveHeader: mh_curl_data_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            sink.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            sink.headers.append(
                HTTPHeader(
                    String(line[..<colon]),
                    String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return length
    }
}
