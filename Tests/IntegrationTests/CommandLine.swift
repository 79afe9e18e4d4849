import Foundation
import Testing

/// The built `mailhound` beside the test runner, when `swift test` built it.
let mailhoundExecutable: String? = {
    let path = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("mailhound").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// Runs the built `mailhound` with `arguments` to completion: its exit status and standard output.
func mailhound(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let run = try mailhoundRun(arguments)
    return (run.status, run.output)
}

/// The same with variables added to the environment, and standard error too.
func mailhoundRun(
    _ arguments: [String], environment: [String: String] = [:]
) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(mailhoundExecutable))
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    let output = Pipe()
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("mailhound-stderr-\(UUID())")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let written = (try? Data(contentsOf: errorFile)) ?? Data()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: written, as: UTF8.self))
}
