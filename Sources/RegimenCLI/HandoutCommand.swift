#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore
import RegimenHandout
import SystemFiles

/// `regimen handout FILE [-o OUT] [--format html|pdf] [--weeks N] [--lang en]`: the page the patient takes home.
struct HandoutCommand: Command {
    static let spec = CommandSpec(
        name: "handout",
        abstract: "Write the patient's handout: a pill card, the rules in plain words, changes over time, a week and the daily totals as pictures (exit status as check).",
        arguments: [ArgumentSpec(name: "file", count: .one, help: "The plan file; `-` reads standard input.")],
        options: [
            OptionSpec(long: "output", short: "o", valueName: "file", help: "Write to this file (atomically) instead of standard output; needed for --format pdf."),
            .choice("format", default: Format.html, help: "html: one self-contained page; pdf: that page printed by headless Chromium."),
            OptionSpec(long: "weeks", valueName: "weeks", help: "How many weeks the pictures and changes cover (default: the plan's course, at most a year; 2 if open-ended)."),
            OptionSpec(long: "lang", valueName: "code", help: "The language of the page, from the message catalogs (default: en; available: \(HandoutMessages.catalogs.keys.sorted().joined(separator: ", ")))."),
        ])

    enum Format: String, CaseIterable { case html, pdf }

    let file: String
    let output: String?
    let format: Format
    let weeks: Int?
    let messages: HandoutMessages

    init(_ arguments: ParsedArguments) throws(UsageError) {
        file = arguments.positional[0]
        output = arguments.value("output")
        format = arguments.choice("format")
        weeks = try arguments.integer("weeks")
        if let weeks, weeks < 1 || weeks > 52 { throw arguments.error("--weeks must be between 1 and 52") }
        if format == .pdf && output == nil { throw arguments.error("--format pdf needs -o OUT.pdf") }
        let language = arguments.value("lang") ?? "en"
        guard let catalog = HandoutMessages.catalogs[language] else {
            throw arguments.error("--lang \(language) has no message catalog; available: \(HandoutMessages.catalogs.keys.sorted().joined(separator: ", "))")
        }
        messages = catalog
    }

    func run() throws -> ExitStatus {
        let compilation: Compilation
        switch wholePlan(file, refusal: "no handout was written") {
        case .success(let whole): compilation = whole
        case .failure(let refused): return refused.status
        }
        // The findings over the plan's whole course, as `check` gives them; the pictures over --weeks.
        let course = Simulator.run(compilation, today: .today)
        let findings = compilation.findings(on: course)
        let timeline = weeks.map { Simulator.run(compilation, options: SimulationOptions(days: $0 * 7), today: .today) } ?? course
        let status = reportErrors(findings, compilation)
        let html = Handout(compilation, timeline: timeline, findings: findings, preparedOn: preparedOn(), messages: messages).html()
        switch format {
        case .html:
            try emit(html, to: output)
        case .pdf:
            guard try printToPDF(html, output: output!) else { return .unusable }
        }
        return status
    }

    /// The date in the header: today, or `SOURCE_DATE_EPOCH`'s day for a reproducible page.
    private func preparedOn() -> CivilDate {
        guard getenv("SOURCE_DATE_EPOCH") != nil else { return .today }
        return CivilDate(dayNumber: exportStamp() / 86_400)
    }

    /// Prints the page with headless Chromium, or says how to install it.
    private func printToPDF(_ html: String, output: String) throws -> Bool {
        guard let browser = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"].lazy.compactMap(findInPath).first else {
            printError("error: --format pdf needs headless Chromium, which is not installed\n  on Debian or Ubuntu: sudo apt-get install chromium\n  or write HTML (the default) and print it from any browser")
            return false
        }
        var template = Array("/tmp/regimen-handout-XXXXXX".utf8CString)
        guard let folder = mkdtemp(&template) else {
            printError("error: cannot make a temporary folder")
            return false
        }
        let tmp = String(cString: folder)
        let page = tmp + "/handout.html", pdf = tmp + "/handout.pdf"
        defer { _ = unlink(page); _ = unlink(pdf); _ = rmdir(tmp) }
        try writeFile(html, to: page)
        let status = spawn(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=" + tmp + "/profile",
                                     "--print-to-pdf=" + pdf, "file://" + page])
        removeTree(tmp + "/profile")
        guard status == 0, case .bytes(let bytes) = Files.read(pdf, maxBytes: 64 << 20) else {
            printError("error: \(browser) could not print the page (exit status \(status))")
            return false
        }
        try Files.write(bytes, to: output, options: Files.WriteOptions())
        return true
    }
}

/// The full path of a program on PATH.
func findInPath(_ name: String) -> String? {
    let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
}

/// Runs a program with its output silenced and waits for it; its exit status, or -1.
func spawn(_ program: String, _ arguments: [String]) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid = pid_t()
    guard posix_spawn(&pid, program, &actions, nil, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
}

/// Removes a folder Chromium made, with everything in it.
func removeTree(_ path: String) {
    guard Files.isFolder(path) else { _ = unlink(path); return }
    for entry in Files.entries(inFolder: path) { removeTree(path + "/" + entry) }
    _ = rmdir(path)
}
