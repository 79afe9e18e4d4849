import Foundation

/// One Unified Audit Log record as a JSON line, built from named parts: for scenario fixtures and
/// generated tenants. Fields keep the order given; text is escaped by the JSON encoder.
public struct UALRecord: Sendable {
    public enum Value: Sendable {
        case text(String)
        case number(Int)
        case flag(Bool)
        case parameters([(String, String)])
        case folders([String])
        case properties([(String, String)])
        /// Entra `Target` or `Actor` entries: an id and its type (4: an application id).
        case targets([(id: String, type: Int)])
    }

    public var fields: [(String, Value)]

    public init(_ fields: [(String, Value)]) { self.fields = fields }

    /// A record id that differs for every `number`.
    public static func id(_ number: Int) -> String {
        String(format: "00000000-0000-4000-8000-%012d", number)
    }

    /// A MailItemsAccessed record.
    public static func mailRead(
        id: Int, tenant: String, at time: String, actor: String, owner: String, address: String,
        access: String = "Bind", items: Int = 1, logonType: Int = 0, userType: Int = 0,
        client: String = "Client=OWA;", appID: String? = nil, clientAppID: String? = nil, session: String? = nil,
        throttled: Bool = false, folders: [String] = ["\\Inbox"]
    ) -> UALRecord {
        var fields: [(String, Value)] = [
            ("CreationTime", .text(time)), ("Id", .text(Self.id(id))), ("Operation", .text("MailItemsAccessed")),
            ("OrganizationId", .text(tenant)), ("RecordType", .number(50)), ("ResultStatus", .text("Succeeded")),
            ("UserType", .number(userType)), ("Workload", .text("Exchange")), ("UserId", .text(actor)),
            ("ClientIPAddress", .text(address)), ("ClientInfoString", .text(client)), ("LogonType", .number(logonType)),
            ("MailboxOwnerUPN", .text(owner)), ("OperationCount", .number(items)),
        ]
        if let appID { fields.append(("AppId", .text(appID))) }
        if let clientAppID { fields.append(("ClientAppId", .text(clientAppID))) }
        if let session { fields.append(("SessionId", .text(session))) }
        var properties = [("MailAccessType", access)]
        if throttled { properties.append(("IsThrottled", "True")) }
        fields.append(("OperationProperties", .properties(properties)))
        fields.append(("Folders", .folders(folders)))
        return UALRecord(fields)
    }

    /// An admin cmdlet (ExchangeAdmin, RecordType 1) or another operation with named parameters.
    public static func cmdlet(
        id: Int, tenant: String, at time: String, actor: String, operation: String, parameters: [(String, String)],
        address: String, recordType: Int = 1, workload: String = "Exchange", userType: Int = 2
    ) -> UALRecord {
        UALRecord([
            ("CreationTime", .text(time)), ("Id", .text(Self.id(id))), ("Operation", .text(operation)),
            ("OrganizationId", .text(tenant)), ("RecordType", .number(recordType)), ("ResultStatus", .text("True")),
            ("UserType", .number(userType)), ("Workload", .text(workload)), ("UserId", .text(actor)),
            ("ClientIP", .text(address)), ("Parameters", .parameters(parameters)),
        ])
    }

    /// Any other record: the common fields plus `extra`.
    public static func event(
        id: Int, tenant: String, at time: String, actor: String, operation: String, recordType: Int,
        workload: String, address: String, extra: [(String, Value)] = []
    ) -> UALRecord {
        UALRecord(
            [
                ("CreationTime", .text(time)), ("Id", .text(Self.id(id))), ("Operation", .text(operation)),
                ("OrganizationId", .text(tenant)), ("RecordType", .number(recordType)), ("UserType", .number(0)),
                ("Workload", .text(workload)), ("UserId", .text(actor)), ("ClientIP", .text(address)),
            ] + extra)
    }

    /// The fields, beside the common ones, of an Entra "Consent to application." record as Entra
    /// writes them: `principal` lets the app whose service principal is `servicePrincipal` use
    /// `scope` on their behalf. With `app`, the application id and display name the record names
    /// it by too (TargetId.ServicePrincipalNames, Targets of types 4 and 1). With `forAllUsers`,
    /// an admin's consent on behalf of every user of the tenant.
    public static func consentFields(
        servicePrincipal: String, principal: String, scope: String, app: (id: String, name: String)? = nil,
        forAllUsers: Bool = false
    ) -> [(String, Value)] {
        let admin = forAllUsers ? "True" : "False"
        let grant =
            forAllUsers
            ? "PrincipalId: , ConsentType: AllPrincipals" : "PrincipalId: \(principal), ConsentType: Principal"
        var properties = [
            ("ConsentContext.IsAdminConsent", admin), ("ConsentContext.IsAppOnly", "False"),
            ("ConsentContext.OnBehalfOfAll", admin),
            (
                "ConsentAction.Permissions",
                "[] => [[ClientId: \(servicePrincipal), \(grant), "
                    + "Scope:  \(scope), CreatedDateTime: , LastModifiedDateTime ]]; "
            ),
        ]
        var fields: [(String, Value)] = [("ObjectId", .text(servicePrincipal))]
        guard let app else { return fields + [("ModifiedProperties", .properties(properties))] }
        properties.append(("TargetId.ServicePrincipalNames", app.id))
        fields.append(("ModifiedProperties", .properties(properties)))
        fields.append(
            (
                "Target",
                .targets([
                    (id: "ServicePrincipal_\(servicePrincipal)", type: 2), (id: servicePrincipal, type: 2),
                    (id: app.name, type: 1), (id: app.id, type: 4),
                ])
            ))
        return fields
    }

    public var jsonLine: String {
        "{" + fields.map { Self.quoted($0.0) + ":" + Self.encode($0.1) }.joined(separator: ",") + "}"
    }

    private static func encode(_ value: Value) -> String {
        switch value {
        case .text(let text): quoted(text)
        case .number(let number): String(number)
        case .flag(let flag): flag ? "true" : "false"
        case .parameters(let pairs), .properties(let pairs):
            "[" + pairs.map { "{\"Name\":\(quoted($0.0)),\"Value\":\(quoted($0.1))}" }.joined(separator: ",") + "]"
        case .folders(let paths): "[" + paths.map { "{\"Path\":\(quoted($0))}" }.joined(separator: ",") + "]"
        case .targets(let entries):
            "[" + entries.map { "{\"ID\":\(quoted($0.id)),\"Type\":\($0.type)}" }.joined(separator: ",") + "]"
        }
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
