import Foundation
import Rankings

/// `mailhound report`: one self-contained HTML file for a reader who will not open a terminal.
/// No script, no fetch: styles are inline, timelines are inline SVG, and a Content-Security-Policy
/// forbids loading anything, so the file shows the same offline, mailed or archived. Every text
/// from the logs goes through `SafeText.html`.
public enum HTMLReport {
    public static func render(_ report: IncidentReport) -> String {
        var html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mailhound incident report</title>
            <style>\(style)</style>
            </head>
            <body>
            <h1>mailhound incident report</h1>

            """
        html += "<p class=\"meta\">Generated \(h(report.generatedAt))"
        if let run = report.run {
            html += "; detection run \(run.id) (\(h(run.mode)), started \(h(run.startedAt)))"
        }
        html += ". \(report.sessions.count) ranked session(s) shown.</p>\n"
        html += sessionsSection(report.sessions)
        html += report.timelines.enumerated().map { timelineSection($1, position: $0 + 1) }.joined()
        html += accountsSection("Acting identities", report.actors, role: "actor")
        html += accountsSection("Exposed mailboxes", report.owners, role: "owner")
        html += chainsSection(report.chains)
        html += coverageSection(report.coverage)
        html += detectorsSection(report.run)
        html += "</body>\n</html>\n"
        return html
    }

    private static let h = SafeText.html

    /// Colours of the timeline's lanes, also named in the legend.
    static let lanes: [(kind: String, label: String, colour: String)] = [
        ("mailbox", "mailbox access", "#c0392b"),
        ("operation", "operation in the session", "#2471a3"),
        ("related operation", "related admin operation", "#7d3c98"),
        ("web request", "flagged web request", "#d68910"),
    ]

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1c2833;max-width:1400px}
        h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccd1d1}
        table{border-collapse:collapse;width:100%;margin:.5em 0}table.sessions{table-layout:fixed}td{overflow-wrap:anywhere}
        th,td{border:1px solid #d5d8dc;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f2f3f4}td.num{text-align:right}
        .critical{color:#fff;background:#922b21}.high{color:#fff;background:#d35400}
        .medium{background:#f5b041}.low{background:#f9e79f}.meta{color:#566573}
        ul.reasons{margin:0;padding-left:1.2em}svg.timeline{width:100%;height:auto;background:#fbfcfc;border:1px solid #d5d8dc}
        .legend span{display:inline-block;margin-right:1.2em}.legend i{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em}
        code{font-size:.9em;word-break:break-all}
        """

    private static func sessionsSection(_ sessions: [RankedSession]) -> String {
        var html = "<h2 id=\"sessions\">Ranked sessions</h2>\n"
        guard !sessions.isEmpty else { return html + "<p>No ranked session.</p>\n" }
        html += "<table class=\"sessions\">\n<colgroup><col style=\"width:3em\"><col style=\"width:4em\">"
        html += "<col style=\"width:5.5em\"><col style=\"width:15%\"><col style=\"width:17%\"><col style=\"width:9em\">"
        html += "<col style=\"width:11em\"><col style=\"width:4.5em\"><col></colgroup>\n"
        html += "<tr><th>#</th><th>Score</th><th>Severity</th><th>Actor</th>"
        html += "<th>Mailboxes</th><th>Client IP</th><th>Window</th><th>Items</th><th>Reasons</th></tr>\n"
        for session in sessions {
            html += "<tr id=\"rank-\(session.rank)\"><td class=\"num\">\(session.rank)</td>"
            html += "<td class=\"num\">\(session.score)</td>"
            html += "<td class=\"\(h(session.severity))\">\(h(session.severity))</td>"
            html += "<td>\(h(session.actor ?? "-"))<br><code>\(h(session.id))</code></td>"
            html += "<td>\(mailboxes(session.mailboxOwners))</td>"
            html += "<td>\(h(session.clientIP ?? "-"))</td>"
            html += "<td>\(h(session.firstSeen))<br>\(h(session.lastSeen))</td>"
            html += "<td class=\"num\">\(session.items)</td><td>\(reasons(session.reasons))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func timelineSection(_ timeline: SessionTimeline, position: Int) -> String {
        let session = timeline.session
        var html = "<section class=\"session\" id=\"session-\(position)\">\n"
        html += "<h2>Session \(h(session.id))"
        if let rank = session.rank, let score = session.score, let severity = session.severity {
            html += ": rank \(rank), score \(score), \(h(severity))"
        }
        html += "</h2>\n<p>\(h(session.actor ?? "-")) (\(h(session.actorKind))), \(h(session.firstSeen)) – "
        html += "\(h(session.lastSeen)); \(session.events) record(s), \(session.items) item(s); "
        html += "from \(h(session.clientIPs.joined(separator: ", ")))</p>\n"
        html += svg(timeline)
        html += "<div class=\"legend\">"
        html += lanes.map { "<span><i style=\"background:\($0.colour)\"></i>\($0.label)</span>" }.joined()
        html += "</div>\n<table class=\"findings\"><tr><th>Detector</th><th>Points</th><th>Reason</th></tr>\n"
        for finding in timeline.findings where finding.suppressedBy == nil {
            html += "<tr><td>\(h(finding.detector))</td><td class=\"num\">\(finding.points)</td>"
            html += "<td>\(h(finding.reason))</td></tr>\n"
        }
        return html + "</table>\n</section>\n"
    }

    /// One lane a kind of record, time left to right; each mark has the record as its tooltip.
    static func svg(_ timeline: SessionTimeline) -> String {
        let width = 1000.0
        let left = 170.0
        let laneHeight = 34.0
        let height = laneHeight * Double(lanes.count) + 40
        let placed = timeline.timeline.compactMap { entry in time(entry.at).map { (entry, $0) } }
        var svg = "<svg class=\"timeline\" data-session=\"\(h(timeline.session.id))\" "
        svg += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n"
        svg += "<title>Timeline of session \(h(timeline.session.id))</title>\n"
        func laneY(_ lane: Int) -> Double { laneHeight * Double(lane) + 24 }
        for (index, lane) in lanes.enumerated() {
            let y = laneY(index)
            svg += "<text x=\"4\" y=\"\(y + 4)\" font-size=\"12\">\(lane.label)</text>"
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 10)\" y2=\"\(y)\" stroke=\"#d5d8dc\"/>\n"
        }
        guard let first = placed.map(\.1).min(), let last = placed.map(\.1).max() else {
            return svg + "<text x=\"\(left)\" y=\"\(height - 8)\" font-size=\"12\">no timed record</text></svg>\n"
        }
        let span = max(last.timeIntervalSince(first), 1)
        for (entry, at) in placed {
            guard let lane = lanes.firstIndex(where: { $0.kind == entry.kind }) else { continue }
            let x = left + (width - 10 - left) * at.timeIntervalSince(first) / span
            let y = laneY(lane)
            let radius = entry.inSession ? 5 : 3.5
            var tip = "\(entry.at) \(entry.operation)"
            if let mailbox = entry.mailbox { tip += " \(mailbox)" }
            if let detail = entry.detail { tip += " \(detail)" }
            if let address = entry.clientIP { tip += " from \(address)" }
            svg += "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"\(radius)\" fill=\"\(lanes[lane].colour)\">"
            svg += "<title>\(h(tip))</title></circle>\n"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 8)\" font-size=\"12\">\(h(timeline.timeline.first?.at ?? ""))</text>"
        svg += "<text x=\"\(width - 10)\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"end\">"
        svg += "\(h(timeline.timeline.last?.at ?? ""))</text>\n"
        if timeline.omitted > 0 {
            svg += "<text x=\"\(width / 2)\" y=\"\(height - 8)\" font-size=\"12\" text-anchor=\"middle\">"
            svg += "\(timeline.omitted) more record(s) not drawn</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func accountsSection(_ title: String, _ accounts: [RankedAccount], role: String) -> String {
        var html = "<h2 id=\"accounts-\(role)\">\(title)</h2>\n"
        guard !accounts.isEmpty else { return html + "<p>None.</p>\n" }
        html +=
            "<table><tr><th>#</th><th>Score</th><th>Severity</th><th>Account</th><th>Sessions</th><th>Reasons</th></tr>\n"
        for account in accounts {
            html += "<tr><td class=\"num\">\(account.rank)</td><td class=\"num\">\(account.score)</td>"
            html += "<td class=\"\(h(account.severity))\">\(h(account.severity))</td><td>\(h(account.account))</td>"
            html += "<td class=\"num\">\(account.sessions)</td><td>\(reasons(account.reasons))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func chainsSection(_ chains: [IncidentReport.Chain]) -> String {
        var html = "<h2 id=\"chains\">Chains</h2>\n"
        guard !chains.isEmpty else { return html + "<p>No chain.</p>\n" }
        html += "<table><tr><th>Kind</th><th>Points</th><th>Window</th><th>Sessions</th><th>Reason</th></tr>\n"
        for chain in chains {
            html += "<tr><td>\(h(chain.kind))</td><td class=\"num\">\(chain.points)</td>"
            html += "<td>\(h(chain.firstSeen)) – \(h(chain.lastSeen))</td>"
            html +=
                "<td><code>\(h(chain.sessions.joined(separator: " ")))</code></td><td>\(h(chain.reason))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func coverageSection(_ windows: [BlindWindow]) -> String {
        var html = "<h2 id=\"coverage\">What could not be seen</h2>\n"
        guard !windows.isEmpty else { return html + "<p>No gap found.</p>\n" }
        html += "<table><tr><th>Kind</th><th>Subject</th><th>From</th><th>Until</th><th>Detail</th></tr>\n"
        for window in windows {
            html += "<tr><td>\(h(window.kind))</td><td>\(h(window.subject))</td>"
            html += "<td>\(h(window.startsAt ?? "-"))</td><td>\(h(window.endsAt ?? "-"))</td>"
            html += "<td>\(h(window.detail))</td></tr>\n"
        }
        return html + "</table>\n"
    }

    private static func detectorsSection(_ run: IncidentReport.Run?) -> String {
        var html = "<h2 id=\"detectors\">Detectors of the run</h2>\n"
        guard let run else { return html + "<p>No detection run is visible.</p>\n" }
        html += "<p>Run \(run.id), \(h(run.mode)), \(h(run.status)), started \(h(run.startedAt)).</p>\n"
        html += "<table><tr><th>Detector</th><th>SHA-256 of its SQL</th></tr>\n"
        for detector in run.detectors {
            html += "<tr><td>\(h(detector.id))</td><td><code>\(h(detector.sha256))</code></td></tr>\n"
        }
        return html + "</table>\n"
    }

    /// The first reason, the others folded away (a details element: no script needed).
    private static func reasons(_ items: [String]) -> String {
        guard let first = items.first else { return "" }
        var html = h(first)
        if items.count > 1 {
            html += "<details><summary>\(items.count - 1) more</summary><ul class=\"reasons\">"
            html += items.dropFirst().map { "<li>\(h($0))</li>" }.joined() + "</ul></details>"
        }
        return html
    }

    private static func mailboxes(_ owners: [String]) -> String {
        guard !owners.isEmpty else { return "-" }
        let shown = owners.prefix(3).map(h).joined(separator: "<br>")
        return owners.count > 3 ? "\(shown)<br>and \(owners.count - 3) more" : shown
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The display times are ISO 8601, in UTC or the `--tz` zone's offset.
    static func time(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }
}
