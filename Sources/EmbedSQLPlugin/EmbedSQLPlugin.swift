import Foundation
import PackagePlugin

/// Builds `sql/` into the binary: every `.sql` file under it becomes a string in a generated
/// Swift file, so a copied `mailhound` runs without the source tree. `sql/` stays the source of truth.
@main
struct EmbedSQLPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL.appending(path: "sql")
        let inputs = sqlFiles(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSQLFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding sql/ (\(inputs.count) files)",
                executable: try context.tool(named: "embed-sql").url,
                arguments: [root.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func sqlFiles(under root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "sql" }
    }
}
