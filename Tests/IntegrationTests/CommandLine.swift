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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(mailhoundExecutable))
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
