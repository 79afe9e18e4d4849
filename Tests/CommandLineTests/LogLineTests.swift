import CommandSupport
import Logging
import Synchronization
import Testing

@Suite("Log lines")
struct LogLineTests {
    @Test("a file name with ESC, BEL and a line break stays on its own escaped line")
    func hostileFileName() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "mailhound") { label in
            EscapingLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .info
        let name = "/logs/x\u{1B}[31m\u{07}.jsonl\n2026-12-01T00:00:00+0000 info mailhound: worker stopped"
        logger.info("file loaded \u{202E}gnp", metadata: ["file": "\(name)"])
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        let line = written.first ?? ""
        #expect(line.filter(\.isNewline).count == 1 && line.hasSuffix("\n"))
        #expect(
            line.drop { $0 != " " }.dropFirst()
                == #"info mailhound: file=/logs/x\u{1b}[31m\u{7}.jsonl\u{a}2026-12-01T00:00:00+0000 info mailhound: worker stopped [CommandLineTests] file loaded \u{202e}gnp"#
                + "\n")
    }
}
