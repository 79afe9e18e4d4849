import ArgumentParser
import Testing

@testable import mailhound

/// The help of the main commands, line for line as swift-argument-parser prints it at 100 columns:
/// what a user reads is part of the interface, and the README quotes it.
@Suite("Command-line help")
struct HelpTests {

    @Test("mailhound (no command) --help")
    func rootHelp() {
        #expect(
            Mailhound.helpMessage(columns: 100).trimmingTrailingNewlines == """
                OVERVIEW: Find mailbox theft in Microsoft 365 and Exchange audit logs.

                Loads audit records into PostgreSQL, groups them into sessions, runs the SQL detectors built into
                it (or those under MAILHOUND_SQL_DIR) and ranks the sessions. Without --database-url, DATABASE_URL
                or PG* variables, mailhound starts its own private PostgreSQL cluster.

                Exit codes: 0 ok; 1 error; 2 finished, but records were quarantined or lines malformed; 3 detect
                --fail-on found a session in that band or above; 4 no such session or allow-list entry; 5 db
                status: the cluster is stopped; 64 usage.

                USAGE: mailhound <subcommand>

                OPTIONS:
                  -h, --help              Show help information.

                SUBCOMMANDS:
                  demo                    Load the bundled demo tenant into a fresh demo database, detect, and
                                          print the ranking.
                  ingest                  Load audit and web log files (.gz, directories, - for stdin); the format
                                          is read from content.
                  pull                    Pull audit records from the Office 365 Management Activity API into
                                          PostgreSQL.
                  worker                  Watch folders: load new and grown files, detect on a schedule, stop
                                          cleanly on SIGTERM or SIGINT.
                  detect                  Build sessions, judge them with the detectors and chains, and record the
                                          run.
                  sessions                Print the ranked suspicious sessions.
                  session                 Show one session: its score, findings with evidence and baselines, and
                                          its timeline.
                  accounts                Print the top-risk acting identities, or the most exposed mailbox owners.
                  runs                    List the recorded detection runs, newest first.
                  coverage                Report what mailhound could not see: throttled mailboxes, search caps,
                                          source gaps, unaudited mailboxes.
                  allow                   Manage the allow-list of known-good actors, apps and networks.
                  networks                Load an IP-to-ASN table so detectors judge new networks by who routes
                                          them.
                  errors                  List quarantined records: file, line, reason and the raw text.
                  report                  Write a self-contained HTML incident report: ranking, timelines,
                                          accounts, chains, coverage.
                  prune                   Delete events, web requests and sessions older than a date (retention).
                  migrate                 Apply pending migrations, then install changed functions and analyst
                                          views.
                  grant                   Give a login role one of mailhound's roles: reader (of the tenants named
                                          or all), loader, detector, admin.
                  psql                    Open psql on mailhound's database (the embedded cluster or
                                          --database-url).
                  db                      Manage the embedded PostgreSQL cluster.

                  See 'mailhound help <subcommand>' for detailed help.
                """)
    }

    @Test("mailhound detect --help")
    func detectHelp() {
        #expect(
            Mailhound.helpMessage(for: Detect.self, columns: 100).trimmingTrailingNewlines == """
                OVERVIEW: Build sessions, judge them with the detectors and chains, and record the run.

                Incremental by default: only the sessions that records stored since the previous run can change are
                rebuilt, and only the sessions from the first one those records reach are judged again; earlier
                sessions keep their findings. Detectors that look days ahead of a session, and the chains, judge
                every session. A run judges everything when the detectors, --baseline-days or the window changed.
                --full rebuilds and judges every session. All times come from the data.

                --since/--until keep findings to the sessions active in that window; baselines still read all
                earlier data, so an old incident can be replayed. Times without a zone are UTC.

                Exit codes: 0 ok; 1 error; 3 with --fail-on when a ranked session is in that band or above.

                USAGE: mailhound detect [--database-url <database-url>] [--verbose] [--full] [--since <since>] [--until <until>] [--baseline-days <baseline-days>] [--fail-on <fail-on>]

                OPTIONS:
                  --database-url <database-url>
                                          PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables,
                                          then the embedded cluster).
                  -v, --verbose           Log progress to stderr.
                  --full                  Rebuild every session, not only those new events can change.
                  --since <since>         Only sessions active at or after this time get findings (e.g. 2021-03-01).
                  --until <until>         Only sessions that began before this time get findings.
                  --baseline-days <baseline-days>
                                          Days of each actor's and app's history that baselines read. (default: 30)
                  --fail-on <fail-on>     Exit with 3 when a ranked session is at or above this severity (low,
                                          medium, high, critical). (values: low, medium, high, critical)
                  -h, --help              Show help information.
                """)
    }

    @Test("mailhound sessions --help")
    func sessionsHelp() {
        #expect(
            Mailhound.helpMessage(for: Sessions.self, columns: 100).trimmingTrailingNewlines == """
                OVERVIEW: Print the ranked suspicious sessions.

                USAGE: mailhound sessions [--database-url <database-url>] [--verbose] [--top <top>] [--min-score <min-score>] [--include-suppressed] [--format <format>] [--wide] [--tz <zone>]

                OPTIONS:
                  --database-url <database-url>
                                          PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables,
                                          then the embedded cluster).
                  -v, --verbose           Log progress to stderr.
                  --top <top>             How many sessions to show. (default: 20)
                  --min-score <min-score> Only sessions scoring at least this (0-100). (default: 0)
                  --include-suppressed    Also list allow-listed findings, and sessions whose every finding is
                                          allow-listed.
                  --format <format>       table, json, jsonl (one object a line) or csv. (values: table, json,
                                          jsonl, csv; default: table)
                  --wide                  Tables print whole cells, however wide (as they do when output is not a
                                          terminal).
                  --tz <zone>             Show times in this IANA zone, e.g. Europe/Berlin (stored times stay UTC).
                  -h, --help              Show help information.
                """)
    }

    @Test("mailhound pull --help")
    func pullHelp() {
        #expect(
            Mailhound.helpMessage(for: PullCommand.self, columns: 100).trimmingTrailingNewlines == """
                OVERVIEW: Pull audit records from the Office 365 Management Activity API into PostgreSQL.

                Starts each content type's subscription if it is missing, lists the content in windows of at most
                24 hours within the API's 7 days, fetches the new blobs (--concurrency at a time) and loads them
                through the same parser and COPY path as files. A checkpoint per tenant and content type is written
                with the records, so a stopped or killed pull resumes without gaps or doubles, and content listed
                twice is fetched once. Throttling (429) is waited out as Retry-After says; server errors and broken
                transfers are retried with backoff. Secrets come from a file or MAILHOUND_CLIENT_SECRET, never
                argv.
                Exit codes: 0 all pulled; 2 pulled, but records or blobs were quarantined; 1 a request failed.

                USAGE: mailhound pull <options>

                OPTIONS:
                  --database-url <database-url>
                                          PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables,
                                          then the embedded cluster).
                  -v, --verbose           Log progress to stderr.
                  --tenant-id <tenant-id> Directory (tenant) ID, a GUID.
                  --client-id <client-id> Application (client) ID of the app registration.
                  --client-secret-file <client-secret-file>
                                          File holding the client secret (or set MAILHOUND_CLIENT_SECRET); never on
                                          the command line.
                  --certificate <certificate>
                                          PEM file with the app's certificate and its unencrypted private key
                                          (signs a client assertion).
                  --content-types <content-types>
                                          Comma-separated content types of the Management Activity API. (default:
                                          Audit.Exchange,Audit.General,Audit.AzureActiveDirectory)
                  --audit-query           Also run Graph audit log queries (AuditLogsQuery.Read.All): 180 days back
                                          where the activity API keeps 7.
                  --sign-ins              Also pull Entra sign-ins from Microsoft Graph (AuditLog.Read.All; Entra
                                          ID P1 or P2 keep 30 days).
                  --since <since>         Pull content listed from this time: 2026-11-28, 2026-11-28T06:00:00Z or
                                          36h, 3d ago (default: from the checkpoint, else 7 days).
                  --until <until>         Pull content listed before this time (default: now).
                  --login-url <login-url> Token authority (sovereign clouds: login.microsoftonline.us,
                                          login.chinacloudapi.cn). (default: https://login.microsoftonline.com)
                  --api-url <api-url>     Management Activity API root (GCC High: https://manage.office365.us).
                                          (default: https://manage.office.com)
                  --graph-url <graph-url> Microsoft Graph root (GCC High: https://graph.microsoft.us). (default:
                                          https://graph.microsoft.com)
                  --ca-bundle <ca-bundle> PEM bundle of the certificate authorities to trust (a TLS-inspecting
                                          proxy's); verification stays on.
                  --save <save>           Keep every fetched content blob under this folder as evidence.
                  --concurrency <concurrency>
                                          Content blobs fetched at once. (default: 4)
                  --max-attempts <max-attempts>
                                          Attempts per request on throttling (429), server errors and broken
                                          transfers. (default: 6)
                  --poll-seconds <poll-seconds>
                                          Seconds between polls of a running audit log query. (default: 15.0)
                  -h, --help              Show help information.
                """)
    }

    @Test("mailhound ingest --help")
    func ingestHelp() {
        #expect(
            Mailhound.helpMessage(for: IngestCommand.self, columns: 100).trimmingTrailingNewlines == """
                OVERVIEW: Load audit and web log files (.gz, directories, - for stdin); the format is read from
                content.

                Formats: UAL JSON lines and arrays, Purview CSV, Search-MailboxAuditLog and Search-AdminAuditLog
                CSV, Exchange HttpProxy and ECP Server logs, IIS W3C logs (with or without their header), Sentinel
                OfficeActivity exports, Entra sign-ins (Graph or SigninLogs), Graph activity logs.
                Exit codes: 0 all loaded; 2 loaded but some records quarantined; 1 a file failed.

                USAGE: mailhound ingest [--database-url <database-url>] [--verbose] [--tenant <tenant>] [--source <source>] [--timezone <timezone>] [--date-order <date-order>] [--batch-records <batch-records>] [--max-record-size <size>] [--reload] <paths> ...

                ARGUMENTS:
                  <paths>                 Files or directories to load; - reads standard input.

                OPTIONS:
                  --database-url <database-url>
                                          PostgreSQL URL or conninfo (default: DATABASE_URL, then PG* variables,
                                          then the embedded cluster).
                  -v, --verbose           Log progress to stderr.
                  --tenant <tenant>       Tenant name for on-premises sources, records without an OrganizationId
                                          and quarantined records. (default: default)
                  --source <source>       Format of every input: auto (recognize from content), ual-jsonl,
                                          ual-json, purview-csv, mailbox-audit-csv, admin-audit-csv, httpproxy,
                                          iis, sentinel-json, sentinel-csv, ecp-server, oab-generator,
                                          graph-activity, graph-activity-csv, entra-signins, entra-signins-csv.
                                          (default: auto)
                  --timezone <timezone>   IANA time zone of the local times in mailbox and admin audit exports,
                                          e.g. Europe/Berlin (default UTC).
                  --date-order <date-order>
                                          Order of culture-formatted dates such as 3/2/2021: mdy or dmy (default:
                                          proven by the file's own dates).
                  --batch-records <batch-records>
                                          Records per batch: each batch commits in one transaction with its
                                          checkpoint. (default: 20000)
                  --max-record-size <size>
                                          Longest record read, e.g. 64MiB: a longer one is quarantined with its
                                          first and last 4 KiB. (default: 16MiB)
                  --reload                Read files again even when they were loaded before unchanged.
                  -h, --help              Show help information.
                """)
    }
}

@Suite("Shell completions")
struct CompletionTests {
    @Test("bash, zsh and fish completion scripts name every command")
    func scripts() {
        for shell in [CompletionShell.bash, .zsh, .fish] {
            let script = Mailhound.completionScript(for: shell)
            for command in ["ingest", "worker", "detect", "sessions", "session", "grant", "psql", "db"] {
                #expect(script.contains(command), "\(shell) lacks \(command)")
            }
        }
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
