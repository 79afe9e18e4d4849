/// One normalized audit record: a mailbox access, an admin cmdlet or a compliance action,
/// whatever file format it came from. Value type, no I/O.
public struct AuditEvent: Sendable, Equatable {
    /// The tenant: the record's OrganizationId, or the configured name for on-premises sources.
    public var tenant: String
    public var recordID: RecordID
    public var occurredAt: Timestamp
    public var recordType: Int?
    public var workload: String?
    public var operation: String
    public var resultStatus: String?
    /// Who acted (UserId).
    public var actor: String?
    public var actorKind: ActorKind
    public var userType: Int?
    public var logonType: Int?
    /// Whose mailbox was touched (MailboxOwnerUPN), or the target of an admin cmdlet.
    public var mailboxOwner: String?
    public var mailboxGUID: String?
    public var clientIP: IPAddress?
    public var clientInfo: String?
    public var appID: String?
    public var clientAppID: String?
    /// The record's own SessionId (Entra token session), when it has one.
    public var sourceSessionID: String?
    /// MailItemsAccessed MailAccessType: `Bind` or `Sync`.
    public var accessType: String?
    public var items: Int
    public var bytes: Int64
    public var folders: [String]
    public var isThrottled: Bool?
    public var externalAccess: Bool?
    public var objectID: String?
    /// Cmdlet parameters in source order; names can repeat.
    public var parameters: [Parameter]
    /// The on-premises server that wrote the record (`exch01`); nil for cloud records.
    public var originServer: String?
    public var origin: Origin
    /// The record as it was read, kept as evidence.
    public var raw: String

    public init(
        tenant: String, recordID: RecordID, occurredAt: Timestamp, recordType: Int? = nil,
        workload: String? = nil,
        operation: String, resultStatus: String? = nil, actor: String? = nil,
        actorKind: ActorKind = .user,
        userType: Int? = nil, logonType: Int? = nil, mailboxOwner: String? = nil,
        mailboxGUID: String? = nil,
        clientIP: IPAddress? = nil, clientInfo: String? = nil, appID: String? = nil,
        clientAppID: String? = nil,
        sourceSessionID: String? = nil, accessType: String? = nil, items: Int = 0, bytes: Int64 = 0,
        folders: [String] = [], isThrottled: Bool? = nil, externalAccess: Bool? = nil,
        objectID: String? = nil,
        parameters: [Parameter] = [], originServer: String? = nil, origin: Origin, raw: String
    ) {
        self.tenant = tenant
        self.recordID = recordID
        self.occurredAt = occurredAt
        self.recordType = recordType
        self.workload = workload
        self.operation = operation
        self.resultStatus = resultStatus
        self.actor = actor
        self.actorKind = actorKind
        self.userType = userType
        self.logonType = logonType
        self.mailboxOwner = mailboxOwner
        self.mailboxGUID = mailboxGUID
        self.clientIP = clientIP
        self.clientInfo = clientInfo
        self.appID = appID
        self.clientAppID = clientAppID
        self.sourceSessionID = sourceSessionID
        self.accessType = accessType
        self.items = items
        self.bytes = bytes
        self.folders = folders
        self.isThrottled = isThrottled
        self.externalAccess = externalAccess
        self.objectID = objectID
        self.parameters = parameters
        self.originServer = originServer
        self.origin = origin
        self.raw = raw
    }

    /// An admin cmdlet's target mailbox: its `Mailbox` or `Identity` parameter, where
    /// `ceo@contoso.example\MailboxExport` names a request of that mailbox.
    /// Only for cmdlets that act on a mailbox: other cmdlets' Identity names a group, a virtual directory...
    public static func mailboxTarget(operation: String, parameter: (String) -> String?) -> String? {
        let lower = operation.lowercased()
        guard ["mailbox", "inboxrule", "recipientpermission"].contains(where: lower.contains),
            let target = parameter("Mailbox") ?? parameter("Identity")
        else { return nil }
        return target.split(separator: "\\", maxSplits: 1).first.map(String.init) ?? target
    }

    /// Sets the mailbox owner from the cmdlet's target when the record names none.
    public mutating func inferMailboxOwnerFromParameters() {
        guard mailboxOwner == nil else { return }
        mailboxOwner = Self.mailboxTarget(operation: operation, parameter: parameter)
    }

    /// The first value of the named cmdlet parameter, compared case-insensitively.
    public func parameter(_ name: String) -> String? {
        parameters.value(named: name)
    }
}

extension AuditEvent {
    /// A server's host name from `OriginatingServer` (`EXCH01 (15.01.2176.002)`, an FQDN, a
    /// trailing CR LF): lower-case, without build or domain, so every log names it the same way.
    public static func serverName(_ text: String?) -> String? {
        guard let word = text?.split(whereSeparator: { $0 == " " || $0 == "(" || $0.isNewline }).first,
            let host = word.split(separator: ".").first
        else { return nil }
        return host.lowercased()
    }
}

/// A cmdlet parameter as the audit record lists it.
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension [Parameter] {
    /// The first value of the named parameter, compared case-insensitively.
    public func value(named name: String) -> String? {
        first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}

/// Where a record was read: file (or `-` for stdin), 1-based line and byte offset.
public struct Origin: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var byteOffset: Int64

    public init(file: String, line: Int, byteOffset: Int64) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
    }

    public var description: String { "\(file):\(line)" }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}
