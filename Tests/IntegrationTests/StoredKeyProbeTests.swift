import Foundation
import PostgresClient
import Testing

@testable import Ingest

@Suite("The stored-key probe")
struct StoredKeyProbeTests {
    /// A first load's table has rows and no statistics: the planner takes it for nearly empty. The
    /// probe must still look each id up by the key, not read the tenant's rows once and compare
    /// every id with all of them (a join filter, quadratic in the batch and the table).
    @Test("each id is one primary-key look-up, even in a table never analyzed")
    func oneLookUpAnID() throws {
        let connection = try TestDatabase.fresh("stored_key_probe").connect()
        try connection.execute(
            """
            insert into mailhound.events (
                tenant, record_id, occurred_at, operation, actor_kind, actor, source_file, source_line,
                source_offset, raw_chunk, raw_start, raw_length)
            select 'Tenant-1', gen_random_uuid(), now(), 'MailItemsAccessed', 'user', 'u@contoso.example',
                'f', i, i, 0, 1, 0
            from generate_series(1, 8000) as i
            """)
        let ids = try connection.execute("select record_id::text as id from mailhound.events limit 3000").rows
            .compactMap { $0["id"] }
        #expect(ids.count == 3000)
        try connection.execute("begin")
        defer { _ = try? connection.execute("rollback") }
        try connection.executeScript(BatchLoader.pinnedPlan, name: "pin the probe's plan")
        let plan = try connection.execute(
            Query(
                unsafeSQL: "explain " + BatchLoader.storedKeysSQL(.events),
                binds: ["Tenant-1", "{" + ids.joined(separator: ",") + "}"], name: "probe plan")
        ).rows.compactMap { $0["QUERY PLAN"] }.joined(separator: "\n")
        #expect(plan.contains("Index Cond: ((record_id = k.id) AND (tenant = "), "\(plan)")
        #expect(!plan.contains("Join Filter"), "\(plan)")
    }
}
