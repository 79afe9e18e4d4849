import ArgumentParser
import Foundation
import Logging
import M365
import PostgresClient
import Pull
import WebTransport

/// Where and how to pull from Microsoft 365: shared by `pull` and `worker --pull`.
struct PullOptions: ParsableArguments {
    @Option(help: "Directory (tenant) ID, a GUID.")
    var tenantID: String?

    @Option(help: "Application (client) ID of the app registration.")
    var clientID: String?

    @Option(
        help: "File holding the client secret (or set \(ClientCredential.secretVariable)); never on the command line.")
    var clientSecretFile: String?

    /// Refused with a pointer to the file or the variable: argv shows in `ps` to every user.
    @Option(help: .hidden)
    var clientSecret: String?

    @Option(help: "PEM file with the app's certificate and its unencrypted private key (signs a client assertion).")
    var certificate: String?

    @Option(help: "Comma-separated content types of the Management Activity API.")
    var contentTypes = "Audit.Exchange,Audit.General,Audit.AzureActiveDirectory"

    @Flag(
        help:
            "Also run Graph audit log queries (AuditLogsQuery.Read.All): 180 days back where the activity API keeps 7.")
    var auditQuery = false

    @Flag(help: "Also pull Entra sign-ins from Microsoft Graph (AuditLog.Read.All; Entra ID P1 or P2 keep 30 days).")
    var signIns = false

    @Option(
        help:
            "Pull content listed from this time: 2026-11-28, 2026-11-28T06:00:00Z or 36h, 3d ago (default: from the checkpoint, else 7 days)."
    )
    var since: PullTime?

    @Option(help: "Pull content listed before this time (default: now).")
    var until: PullTime?

    @Option(help: "Token authority (sovereign clouds: login.microsoftonline.us, login.chinacloudapi.cn).")
    var loginURL = ServiceEndpoints.commercial.login

    @Option(help: "Management Activity API root (GCC High: https://manage.office365.us).")
    var apiURL = ServiceEndpoints.commercial.activityAPI

    @Option(help: "Microsoft Graph root (GCC High: https://graph.microsoft.us).")
    var graphURL = ServiceEndpoints.commercial.graph

    @Option(
        help: "PEM bundle of the certificate authorities to trust (a TLS-inspecting proxy's); verification stays on.")
    var caBundle: String?

    @Option(help: "Keep every fetched content blob under this folder as evidence.")
    var save: String?

    @Option(help: "Content blobs fetched at once.")
    var concurrency = 4

    @Option(help: "Attempts per request on throttling (429), server errors and broken transfers.")
    var maxAttempts = 6

    @Option(help: "Seconds between polls of a running audit log query.")
    var pollSeconds = 15.0

    /// Everything the pull needs, checked; `nil` tenant or client is an error here.
    func validated() throws -> (tenantID: String, clientID: String, contentTypes: [String]) {
        guard clientSecret == nil else {
            throw ValidationError(
                "a secret on the command line shows in ps to every user: put it in a file for --client-secret-file, "
                    + "or in \(ClientCredential.secretVariable)")
        }
        guard let tenantID, UUID(uuidString: tenantID) != nil else {
            throw ValidationError("--tenant-id must be the Directory (tenant) ID, a GUID")
        }
        guard let clientID, !clientID.isEmpty else { throw ValidationError("--client-id is required") }
        guard
            (clientSecretFile == nil) != (certificate == nil)
                || ProcessInfo.processInfo.environment[ClientCredential.secretVariable] != nil
        else {
            throw ValidationError(
                "name one credential: --client-secret-file F, \(ClientCredential.secretVariable), or --certificate PEM")
        }
        let types = contentTypes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for type in types where !ActivityFeed.contentTypes.contains(type) {
            throw ValidationError(
                "unknown content type \(type): use \(ActivityFeed.contentTypes.joined(separator: ", "))")
        }
        guard concurrency > 0, concurrency <= 16 else { throw ValidationError("--concurrency must be 1 to 16") }
        guard maxAttempts > 0 else { throw ValidationError("--max-attempts must be positive") }
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be positive") }
        let endpoints = ServiceEndpoints(login: loginURL, activityAPI: apiURL, graph: graphURL)
        do {
            try endpoints.check()
        } catch {
            throw ValidationError(error.description)
        }
        return (tenantID.lowercased(), clientID, types)
    }

    func credential() throws -> ClientCredential {
        if let certificate { return try ClientCredential.certificate(pemFile: certificate) }
        if let clientSecretFile { return try ClientCredential.secret(file: clientSecretFile) }
        if let secret = ProcessInfo.processInfo.environment[ClientCredential.secretVariable], !secret.isEmpty {
            return .secret(secret)
        }
        throw ValidationError("no client secret: --client-secret-file F or \(ClientCredential.secretVariable)")
    }

    /// The clients these options name: the Management Activity API, and Graph's sign-ins when asked.
    func puller(logger: Logger) throws -> Puller {
        let (tenantID, clientID, types) = try validated()
        var transportOptions = CurlTransport.Options()
        transportOptions.caBundle = caBundle
        let transport = CurlTransport(options: transportOptions)
        let retry = RetryPolicy(maxAttempts: maxAttempts)
        let endpoints = ServiceEndpoints(login: loginURL, activityAPI: apiURL, graph: graphURL)
        let tokens = TokenSource(
            endpoints: endpoints, tenantID: tenantID, clientID: clientID, credential: try credential(),
            transport: transport, retry: retry, logger: logger)
        let client = ServiceClient(
            transport: transport, tokens: tokens, retry: retry, gate: ThrottleGate.shared(for: tenantID),
            logger: logger)
        return Puller(
            feed: ActivityFeed(client: client, endpoints: endpoints, tenantID: tenantID),
            signIns: signIns ? GraphSignIns(client: client, endpoints: endpoints) : nil,
            auditQuery: auditQuery
                ? GraphAuditLogQuery(client: client, endpoints: endpoints, pollInterval: pollSeconds) : nil,
            tenantID: tenantID, contentTypes: types)
    }

    func plan(tenantID: String, contentTypes: [String]) -> ContentPull.Plan {
        var plan = ContentPull.Plan(tenantID: tenantID, contentTypes: contentTypes)
        plan.since = since?.date
        plan.until = until?.date
        plan.saveDirectory = save
        plan.concurrency = concurrency
        return plan
    }
}

/// The pull's clients and what they pull.
struct Puller {
    var feed: ActivityFeed
    var signIns: GraphSignIns?
    var auditQuery: GraphAuditLogQuery?
    var tenantID: String
    var contentTypes: [String]

    /// The advisory lock a pull of the tenant holds, so one runs at a time, workers included; also
    /// the name its failures are reported under.
    var lockName: String { "m365:\(tenantID)" }

    func pull(_ plan: ContentPull.Plan, connection: Connection, logger: Logger) throws -> PullSummary {
        try ContentPull(
            feed: feed, signIns: signIns, auditQuery: auditQuery, connection: connection, plan: plan, logger: logger
        ).run()
    }
}

/// A time given as a date, a date and time (UTC unless it says otherwise) or an age such as 36h or 3d.
struct PullTime: ExpressibleByArgument {
    var date: Date

    init?(argument: String) {
        let ages: [Character: Double] = ["m": 60, "h": 3600, "d": 86400]
        if let unit = argument.last.flatMap({ ages[$0] }), let count = Double(argument.dropLast()), count >= 0 {
            date = Date().addingTimeInterval(-count * unit)
            return
        }
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let parsed = formatter.date(from: argument) {
                date = parsed
                return
            }
        }
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        guard let parsed = formatter.date(from: argument) else { return nil }
        date = parsed
    }
}
