import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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

/// Starts `command` with standard output and error into the file `output`.
func spawn(_ command: [String], output: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let arguments = command.map { strdup($0) } + [nil]
    defer { for argument in arguments { free(argument) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
    try #require(result == 0)
    return pid
}

/// The exit status of a child (128 + signal when killed), waiting at most `seconds`: a worker
/// that does not stop is killed and fails the test rather than hanging it.
func exitStatus(of pid: pid_t, within seconds: Int = 60) throws -> Int32 {
    var status: Int32 = 0
    for _ in 0..<(seconds * 20) {
        let waited = waitpid(pid, &status, WNOHANG)
        if waited == pid {
            let signal = status & 0x7f
            return signal == 0 ? (status >> 8) & 0xff : 128 + signal
        }
        try #require(waited == 0 || errno == EINTR, "waitpid failed")
        usleep(50_000)
    }
    kill(pid, SIGKILL)
    waitpid(pid, &status, 0)
    Issue.record("process \(pid) did not exit within \(seconds) s and was killed")
    return -1
}
