/// How a detector's query is held to one tenant, for a distributed database (Citus) that runs a
/// query whole only when every table it reads is on one tenant's shards: each analyst view that has
/// a tenant is filtered by it, and each table function that reads tables is written in as the
/// subquery it is. PostgreSQL runs such a call where the query runs, but Citus sends it to the
/// worker as written, where it would be a distributed query inside a query on a shard.
public struct TenantHold: Sendable, Equatable {
    /// The tenant's parameter, `$2`.
    public var parameter: String
    /// The analyst views with a `tenant` column.
    public var tenantViews: Set<String>
    public var functions: [InlinedFunction]

    public init(parameter: String, tenantViews: Set<String>, functions: [InlinedFunction] = []) {
        self.parameter = parameter
        self.tenantViews = tenantViews
        self.functions = functions
    }
}

/// A SQL table function (`returns table (...) language sql ... as $$ body $$`) whose calls can be
/// replaced by its body. The body names each parameter as `function.parameter`, so it runs
/// unchanged beside a row of the call's arguments named after the function: an argument is
/// evaluated outside the body, and no alias of the body can capture it.
public struct InlinedFunction: Sendable, Equatable {
    /// Schema-qualified, as the queries call it: `mailhound.routine`.
    public var name: String
    public var parameters: [String]
    public var columns: [String]
    public var body: String

    /// Reads the definition from a function file's text.
    public init(definition: String) throws(DetectorFileError) {
        let pattern =
            /create or replace function ([a-z_]+\.([a-z_]+))\(([^)]*)\)\s*returns table \(([^)]*)\)\s*language sql[^$]*as \$\$(.*?)\$\$/
            .dotMatchesNewlines()
        guard let match = definition.firstMatch(of: pattern) else {
            throw DetectorFileError(file: "function", reason: "not a SQL table function")
        }
        func names(_ list: Substring) -> [String] {
            list.split(separator: ",").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }
        }
        name = String(match.output.1)
        shortName = String(match.output.2)
        parameters = names(match.output.3)
        columns = names(match.output.4)
        body = String(match.output.5)
    }

    private let shortName: String

    /// The subquery that stands for a call with these arguments, within a query held to the
    /// tenant `tenant` (`$2`): the body's own `tenant` parameter is that tenant, written in, so the
    /// tables it reads are held to it too, in its CTEs as well.
    func subquery(arguments: [String], tenant: String) -> String {
        let row = zip(arguments, parameters).map { "\($0) as \($1)" }.joined(separator: ", ")
        let held = body.replacing(/\b([a-z_]+)\.tenant\b/) { match in
            match.output.1 == shortName && parameters.contains("tenant") ? "\(tenant)::text" : String(match.output.0)
        }
        return """
            (select inlined.* from (select \(row)) as \(shortName)
            cross join lateral (\(held)) as inlined(\(columns.joined(separator: ", "))))
            """
    }
}

extension DetectorFile {
    /// The query held to one tenant: `analyst.name [as alias]`, for a view with a tenant, becomes
    /// `(select * from analyst.name where tenant = $2::text) as alias`, and a call of a function to
    /// inline becomes its subquery. Comments and string literals are left as they are.
    public func query(heldTo hold: TenantHold) -> String {
        var scanner = SQLScanner(query)
        var output = ""
        while let piece = scanner.next(calling: hold.functions) {
            switch piece {
            case .text(let text):
                output += text
            case .view(let view, let alias):
                guard hold.tenantViews.contains(view) else {
                    output += "analyst.\(view)" + (alias.map { " as \($0)" } ?? "")
                    continue
                }
                output += "(select * from analyst.\(view) where tenant = \(hold.parameter)::text) as \(alias ?? view)"
            case .call(let function, let arguments, let alias):
                output += function.subquery(arguments: arguments, tenant: hold.parameter) + " as \(alias ?? "inlined")"
            }
        }
        return output
    }
}

/// Splits SQL text into what a tenant hold rewrites (analyst view references, calls of the
/// functions named) and the text between, which includes comments and string literals whole.
struct SQLScanner {
    enum Piece: Equatable {
        case text(String)
        case view(String, alias: String?)
        case call(InlinedFunction, arguments: [String], alias: String?)
    }

    private let characters: [Character]
    private var index = 0

    init(_ text: String) { characters = Array(text) }

    mutating func next(calling functions: [InlinedFunction]) -> Piece? {
        guard index < characters.count else { return nil }
        let start = index
        while index < characters.count {
            if startsWith("--") {
                skipLine()
            } else if characters[index] == "'" {
                skipString()
            } else if let function = functions.first(where: { startsWith($0.name + "(") && atWordStart }) {
                if index > start { return .text(String(characters[start..<index])) }
                index += function.name.count + 1
                let arguments = readArguments()
                return .call(function, arguments: arguments, alias: readAlias())
            } else if startsWith("analyst.") && atWordStart {
                if index > start { return .text(String(characters[start..<index])) }
                index += "analyst.".count
                let view = readWord()
                return .view(view, alias: readAlias())
            } else {
                index += 1
            }
        }
        return .text(String(characters[start..<index]))
    }

    private var atWordStart: Bool {
        index == 0
            || !(characters[index - 1].isLetter || characters[index - 1].isNumber || characters[index - 1] == "_")
    }

    private func startsWith(_ prefix: String) -> Bool {
        var position = index
        for character in prefix {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private mutating func skipLine() {
        while index < characters.count, characters[index] != "\n" { index += 1 }
    }

    private mutating func skipString() {
        index += 1
        while index < characters.count {
            if characters[index] == "'" {
                if index + 1 < characters.count, characters[index + 1] == "'" {
                    index += 2
                    continue
                }
                index += 1
                return
            }
            index += 1
        }
    }

    private mutating func readWord() -> String {
        let start = index
        while index < characters.count,
            characters[index].isLetter || characters[index].isNumber || characters[index] == "_"
        {
            index += 1
        }
        return String(characters[start..<index])
    }

    /// The arguments up to the call's closing parenthesis, split at its top-level commas.
    private mutating func readArguments() -> [String] {
        var arguments: [String] = []
        var current = ""
        var depth = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" {
                let start = index
                skipString()
                current += String(characters[start..<index])
                continue
            }
            index += 1
            switch character {
            case "(", "[":
                depth += 1
            case ")" where depth == 0:
                arguments.append(current.trimmingCharacters())
                return arguments
            case ")", "]":
                depth -= 1
            case "," where depth == 0:
                arguments.append(current.trimmingCharacters())
                current = ""
                continue
            default:
                break
            }
            current.append(character)
        }
        arguments.append(current.trimmingCharacters())
        return arguments
    }

    /// `as alias` after a reference, consumed; nil when none follows.
    private mutating func readAlias() -> String? {
        var position = index
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        guard position + 2 < characters.count, characters[position] == "a", characters[position + 1] == "s",
            characters[position + 2].isWhitespace
        else { return nil }
        position += 2
        while position < characters.count, characters[position].isWhitespace { position += 1 }
        index = position
        return readWord()
    }
}
