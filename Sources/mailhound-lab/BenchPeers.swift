import ArgumentParser
import Foundation
import PostgresClient
import Reports
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// `psql \copy`, the way a user loads already-flat rows: one connection, CSV, client-side file.
struct PeerCopy {
    let psql: String
    let conninfo: String
    let password: String?

    init(connection: Connection) throws {
        let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(
            String.init)
        let serverBin = (try? EmbeddedCluster.locateServerBinaries().path).map { [$0] } ?? []
        guard
            let found = (searchPath + serverBin).map({ $0 + "/psql" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw ValidationError(
                "psql not found: install postgresql-client (apt-get install postgresql-client)")
        }
        psql = found
        (conninfo, password) = connection.settingsWithoutPassword
    }

    /// `columns`: the CSV's columns, in order; the table's others take their defaults.
    func copy(_ csv: URL, into table: String, columns: String) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mailhound-psql-\(getpid()).log"
        ).path
        defer { unlink(log) }
        var environment = ["PGOPTIONS": "-c synchronous_commit=off"]
        environment["PGPASSWORD"] = password
        let status = try Subprocess.run(
            [
                psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c",
                "\\copy \(table) (\(columns)) from '\(csv.path)' with (format csv)",
            ],
            outputPath: log, environment: environment)
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw ValidationError("psql \\copy failed (exit \(status)): " + SafeText.terminal(output))
        }
    }
}

/// What a user would write instead of mailhound: a short Python script that reads each UAL line
/// with `json.loads`, writes the fields that matter as CSV, and pipes it to `psql \copy` into a
/// narrow typed table. Its pre-flattened output, loaded by `\copy` alone, is the second peer.
struct UserScriptPeer {
    static let table = """
        create table bench.narrow (
            id uuid primary key, occurred_at timestamptz not null, operation text not null, actor text,
            mailbox_owner text, client_ip inet, client_info text, session_id text, access_type text, items integer)
        """
    static let columns =
        "id, occurred_at, operation, actor, mailbox_owner, client_ip, client_info, session_id, access_type, items"

    static let script = """
        import csv, json, sys

        out = csv.writer(sys.stdout)
        for line in sys.stdin:
            r = json.loads(line)
            ip = r.get("ClientIPAddress") or r.get("ClientIP") or ""
            if ip.startswith("["):
                ip = ip[1:ip.index("]")]
            elif ip.count(":") == 1:
                ip = ip.split(":")[0]
            props = {p.get("Name"): p.get("Value") for p in r.get("OperationProperties") or []}
            items = sum(len(f.get("FolderItems") or []) for f in r.get("Folders") or [])
            out.writerow([r["Id"], r["CreationTime"] + "Z", r["Operation"], r.get("UserId"),
                          r.get("MailboxOwnerUPN"), ip or None, r.get("ClientInfoString"),
                          r.get("SessionId"), props.get("MailAccessType"), items])

        """

    let peer: PeerCopy
    let folder: URL

    var scriptFile: URL { folder.appendingPathComponent("ual_to_csv.py") }

    init(peer: PeerCopy, folder: URL) throws {
        self.peer = peer
        self.folder = folder
        try Data(Self.script.utf8).write(to: scriptFile)
    }

    /// The script's CSV of `jsonLines`, written to a file (the narrow peer's input; not timed).
    func flatten(_ jsonLines: URL) throws -> URL {
        let csv = folder.appendingPathComponent("narrow.csv")
        try shell(#"python3 "$1" < "$2" > "$3""#, [scriptFile.path, jsonLines.path, csv.path])
        return csv
    }

    /// The script piped into `psql \copy`, as its user would run it.
    func load(_ jsonLines: URL) throws {
        try shell(
            #"python3 "$1" < "$2" | "$3" -X -q -v ON_ERROR_STOP=1 -d "$4" -c "$5""#,
            [
                scriptFile.path, jsonLines.path, peer.psql, peer.conninfo,
                "\\copy bench.narrow (\(Self.columns)) from stdin with (format csv)",
            ])
    }

    private func shell(_ command: String, _ arguments: [String]) throws {
        let log = folder.appendingPathComponent("peer.log").path
        var environment = ["PGOPTIONS": "-c synchronous_commit=off"]
        environment["PGPASSWORD"] = peer.password
        let status = try Subprocess.run(
            ["/bin/sh", "-c", "set -e; " + command, "sh"] + arguments, outputPath: log, environment: environment)
        guard status == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PeerFailure("the user's script failed (exit \(status)): " + SafeText.terminal(output))
        }
    }
}

struct PeerFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
