/// Test-ProxyLogon's reports that hold no requests or audit records. A responder loads its whole
/// output folder; these files are then named for what they are, with what to do instead, rather
/// than refused as an unknown format. (Its HttpProxy extracts, `-Cve-2021-26855.csv` and
/// `-Cve-2021-27065-ResetVDir.csv`, are read as HttpProxy logs.)
enum TestProxyLogonReport {
    /// Why a file whose header or first lines these are is not loaded; nil for other content.
    static func refusal(columns: Set<String>, lines: [Substring]) -> String? {
        if columns == ["TimeCreated", "MachineName", "Message"] {
            return "Test-ProxyLogon's Application event log extract (-Cve-2021-26857.csv: MSExchange Unified "
                + "Messaging errors with System.InvalidCastException): mailhound keeps no Windows events; read it as it is"
        }
        if columns.isSuperset(of: ["ComputerName", "Type", "Path", "Name", "LastWrite"]) {
            return "Test-ProxyLogon's list of suspicious files (-other.csv: lsass dumps, archives under ProgramData): "
                + "mailhound keeps no file listings; read it as it is"
        }
        let paths = lines.map(\.trimmed).filter { !$0.isEmpty }
        if !paths.isEmpty, paths.allSatisfy(isWindowsPath) {
            return "a list of file paths, as Test-ProxyLogon writes them (-Cve-2021-27065.log and -Cve-2021-26858.log: "
                + "the ECP Server and OAB generator logs it flagged; -Cve-2021-26858-DownloadPaths.log: files written "
                + "through CVE-2021-26858): load the logs it names; the files written are evidence on the server"
        }
        return nil
    }

    /// `C:\...`, `\\server\share\...` or `'...'` around either, as PowerShell's Set-Content writes them.
    private static func isWindowsPath(_ line: String) -> Bool {
        let path = line.trimming("'\"")
        let characters = Array(path.prefix(3))
        let drive = characters.count == 3 && characters[0].isLetter && characters[1] == ":" && characters[2] == "\\"
        return drive || path.hasPrefix("\\\\")
    }
}
