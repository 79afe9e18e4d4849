import ArgumentParser

@main
struct MailhoundLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailhound-lab",
        abstract: "The workbench behind mailhound: simulated tenants and the benchmarks.",
        discussion: """
            Kept apart from mailhound, which is for responders, analysts and schedulers. The benchmarks \
            use scratch databases beside the one --database-url names, or the embedded cluster.
            """,
        subcommands: [Simulate.self, Bench.self]
    )
}
