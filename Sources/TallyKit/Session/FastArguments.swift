import TallyRender

/// The command lines people type most — `run`, `check`, `eval` and `models`
/// with their usual options — read without ArgumentParser, whose reflection
/// over the command tree is most of a cold start. Anything this does not
/// read exactly (help, `--`, a value that starts with `-`, an option given
/// twice, an unknown option or format, another command) is left to
/// ArgumentParser, which then reads it as it always did: so this may only
/// ever say what ArgumentParser would say, and `CLITests` holds the two to
/// the same output for every command line they try.
package enum FastArguments {
    /// A command line read: the command and every option it takes.
    package enum Invocation: Equatable, Sendable {
        case run(files: [String], format: RunFormat, quiet: Bool, common: Common)
        case check(files: [String], format: CheckFormat, verbose: Bool, common: Common)
        case eval(files: [String], sets: [String], expression: String, format: OutputFormat, common: Common)
        case models(filter: String?, at: String?, format: OutputFormat, noColor: Bool, ascii: Bool)
    }

    /// The options `run`, `check` and `eval` share.
    package struct Common: Equatable, Sendable {
        package var noColor = false
        package var ascii = false
        package var allowOutside = false
        /// `run` and `eval`: counts in text as exact as `Format.count` shows them.
        package var exact = false

        package init(noColor: Bool = false, ascii: Bool = false, allowOutside: Bool = false, exact: Bool = false) {
            self.noColor = noColor
            self.ascii = ascii
            self.allowOutside = allowOutside
            self.exact = exact
        }
    }

    /// `arguments` without the program's name, `tally FILE…` already made `tally run FILE…`.
    package static func parse(_ arguments: [String]) -> Invocation? {
        guard let command = arguments.first else { return nil }
        let valued: Set<String>
        let flags: Set<String>
        let repeatable: Set<String>
        switch command {
        case "run": (valued, flags, repeatable) = (["--format"], ["--no-color", "--ascii", "--allow-outside", "--quiet", "--exact"], [])
        case "check": (valued, flags, repeatable) = (["--format"], ["--no-color", "--ascii", "--allow-outside", "--verbose"], [])
        case "eval": (valued, flags, repeatable) = (["--format", "-f", "--set"], ["--no-color", "--ascii", "--allow-outside", "--exact"], ["-f", "--set"])
        case "models": (valued, flags, repeatable) = (["--format", "--at"], ["--no-color", "--ascii"], [])
        default: return nil
        }
        var values: [String: [String]] = [:]
        var set: Set<String> = []
        var positionals: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") else {
                positionals.append(argument)
                continue
            }
            var name = argument
            var value: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            if flags.contains(name), value == nil {
                guard set.insert(name).inserted else { return nil }
                continue
            }
            guard valued.contains(name) else { return nil }
            if value == nil {
                guard index < arguments.count, !arguments[index].hasPrefix("-") else { return nil }
                value = arguments[index]
                index += 1
            }
            guard let value, !value.hasPrefix("-") else { return nil }
            if !repeatable.contains(name), values[name] != nil { return nil }
            values[name, default: []].append(value)
        }
        let common = Common(noColor: set.contains("--no-color"), ascii: set.contains("--ascii"), allowOutside: set.contains("--allow-outside"),
                            exact: set.contains("--exact"))
        let format = values["--format"]?.first
        switch command {
        case "run":
            guard !positionals.isEmpty, let chosen = format.map(RunFormat.init(rawValue:)) ?? .text else { return nil }
            return .run(files: positionals, format: chosen, quiet: set.contains("--quiet"), common: common)
        case "check":
            guard !positionals.isEmpty, let chosen = format.map(CheckFormat.init(rawValue:)) ?? .text else { return nil }
            return .check(files: positionals, format: chosen, verbose: set.contains("--verbose"), common: common)
        case "eval":
            guard positionals.count == 1, let chosen = format.map(OutputFormat.init(rawValue:)) ?? .text else { return nil }
            return .eval(files: values["-f"] ?? [], sets: values["--set"] ?? [], expression: positionals[0], format: chosen, common: common)
        default:
            guard positionals.count <= 1, let chosen = format.map(OutputFormat.init(rawValue:)) ?? .text else { return nil }
            return .models(filter: positionals.first, at: values["--at"]?.first, format: chosen, noColor: common.noColor, ascii: common.ascii)
        }
    }
}
