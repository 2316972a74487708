import RegimenCore

/// The language server's state and its answers, without any I/O: messages in, messages out, so
/// tests can drive it with values. `StdioServer` connects it to standard input and output.
///
/// Checks are debounced: an edit schedules its document (and the open documents that include
/// it) to be checked `debounceMilliseconds` later, and a newer edit before then moves the time
/// on. A check whose document changed while it ran is dropped, never published.
public struct LanguageServer {
    /// JSON-RPC and LSP error codes.
    enum ErrorCode: Int {
        case parseError = -32700, invalidRequest = -32600, methodNotFound = -32601, invalidParams = -32602
        case serverNotInitialized = -32002
    }

    /// A document to check, with the texts it may include as they were when it was scheduled.
    public struct CheckJob: Sendable {
        let uri: String
        let path: String
        let version: Int
        let bytes: [UInt8]
        let provider: WorkspaceSourceProvider
        let today: CivilDate
        /// A check of this very version already made to answer a request (completion while
        /// typing): it is published as it is rather than made twice.
        var ready: Analysis? = nil

        /// Runs the check: the slow part, which touches no server state.
        public func run() -> Analysis {
            run(abandon: { false })!
        }

        /// Runs the check, or gives it up (nil) halfway when `abandon` says it is stale.
        public func run(abandon: () -> Bool) -> Analysis? {
            ready ?? Analysis.make(uri: uri, path: path, version: version, bytes: bytes, provider: provider, today: today, abandon: abandon)
        }

        /// True when one of `messages` changes or closes this job's document: its result would be stale.
        public func isOvertaken(by messages: [JSON]) -> Bool {
            messages.contains { message in
                ["textDocument/didChange", "textDocument/didClose"].contains(message["method"]?.string ?? "")
                    && message["params"]?["textDocument"]?["uri"]?.string == uri
            }
        }
    }

    var documents: [String: OpenDocument] = [:]
    /// When each scheduled document is due to be checked, in milliseconds of `now`.
    var due: [String: Int] = [:]
    var initialized = false
    /// The client can be asked to report changes to plan files on disk.
    var watchFiles = false
    var shutdownRequested = false
    /// Set by `exit`: 0 after `shutdown`, 1 without it, as the protocol says.
    public private(set) var exitCode: Int32?
    let today: CivilDate
    let debounceMilliseconds: Int
    let log: @Sendable (String) -> Void
    /// Where the bundled knowledge files are written for "go to definition".
    let knowledgeFiles: KnowledgeFiles

    public init(today: CivilDate, debounceMilliseconds: Int = 150, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.init(today: today, debounceMilliseconds: debounceMilliseconds, knowledgeFiles: KnowledgeFiles(), log: log)
    }

    init(today: CivilDate, debounceMilliseconds: Int = 150, knowledgeFiles: KnowledgeFiles, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.knowledgeFiles = knowledgeFiles
        self.today = today
        self.debounceMilliseconds = debounceMilliseconds
        self.log = log
    }

    /// The earliest time a scheduled check is due, if any.
    public var nextDeadline: Int? { due.values.min() }

    /// Input ended without `exit`: 0 if `shutdown` came first, else 1.
    public var exitCodeAtEndOfInput: Int32 { shutdownRequested ? 0 : 1 }

    // MARK: Messages

    /// Handles one frame from the client at time `now` (milliseconds); returns what to send back.
    public mutating func receive(_ frame: MessageFraming.Frame, now: Int) -> [JSON] {
        switch frame {
        case .malformed(let reason):
            log("skipped \(reason)")
            return []
        case .message(let message):
            return receive(message, now: now)
        }
    }

    mutating func receive(_ message: JSON, now: Int) -> [JSON] {
        guard case .object = message else {
            log("skipped a message that is not a JSON object")
            return []
        }
        let id = message["id"]
        guard let method = message["method"]?.string else {
            // A response to a request of ours (we send none), or nonsense: nothing to answer.
            if id == nil { log("skipped a message without a method") }
            return []
        }
        let params = message["params"] ?? .null
        guard let id else {
            return notification(method, params, now: now)
        }
        guard initialized || method == "initialize" else {
            return [Self.error(id, .serverNotInitialized, "the server is not initialized yet")]
        }
        guard !shutdownRequested else {
            return [Self.error(id, .invalidRequest, "the server is shutting down")]
        }
        switch request(method, params) {
        case .result(let result): return [Self.response(id, result)]
        case .error(let code, let text): return [Self.error(id, code, text)]
        }
    }

    enum Answer {
        case result(JSON)
        case error(ErrorCode, String)
    }

    private mutating func request(_ method: String, _ params: JSON) -> Answer {
        if method == "initialize" {
            initialized = true
            // Files changed outside the editor (an include saved elsewhere, a checkout) are only
            // reported by a client asked to watch them, and only one that can be asked at run time.
            watchFiles = params["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"] == .bool(true)
            return .result(Self.capabilities)
        }
        if method == "shutdown" {
            shutdownRequested = true
            return .result(.null)
        }
        guard let handler = Self.documentRequests[method] else {
            return .error(.methodNotFound, "no method \(method)")
        }
        guard let uri = params["textDocument"]?["uri"]?.string else {
            return .error(.invalidParams, "\(method) needs params.textDocument.uri")
        }
        guard let analysis = analysis(of: uri) else {
            // Not an open document: nothing is known about it.
            return .result(.null)
        }
        return handler(analysis, params, knowledgeFiles)
    }

    /// The requests answered from a document's check.
    static let documentRequests: [String: @Sendable (Analysis, JSON, KnowledgeFiles) -> Answer] = [
        "textDocument/hover": { analysis, params, _ in .result(Features.hover(analysis, params)) },
        "textDocument/completion": { analysis, params, _ in .result(Features.completion(analysis, params)) },
        "textDocument/formatting": { analysis, _, _ in .result(Features.formatting(analysis)) },
        "textDocument/documentSymbol": { analysis, _, _ in .result(Features.symbols(analysis)) },
        "textDocument/definition": { .result(Features.definition($0, $1, $2)) },
        "textDocument/codeAction": { analysis, params, _ in .result(Features.codeActions(analysis, params)) },
        "textDocument/inlayHint": { analysis, params, _ in .result(Features.inlayHints(analysis, params)) },
    ]

    static let capabilities: JSON = .fields(
        ("capabilities", .fields(
            ("positionEncoding", .string("utf-16")),
            ("textDocumentSync", .fields(("openClose", .bool(true)), ("change", .int(1)), ("save", .bool(false)))),
            ("hoverProvider", .bool(true)),
            ("completionProvider", .fields(("triggerCharacters", .array([".", "\"", "/"].map(JSON.string))))),
            ("documentFormattingProvider", .bool(true)),
            ("documentSymbolProvider", .bool(true)),
            ("definitionProvider", .bool(true)),
            ("codeActionProvider", .fields(("codeActionKinds", .array([.string("quickfix")])))),
            ("inlayHintProvider", .bool(true)))),
        ("serverInfo", .fields(("name", .string("regimen")))))

    /// Handles a notification; returns what to send (diagnostics cleared, a registration).
    private mutating func notification(_ method: String, _ params: JSON, now: Int) -> [JSON] {
        func skip(_ reason: String) -> [JSON] {
            log(reason)
            return []
        }
        switch method {
        case "exit":
            exitCode = shutdownRequested ? 0 : 1
        case "initialized":
            guard watchFiles else { return [] }
            let watcher = JSON.fields(("globPattern", .string("**/*.regimen")))
            let registration = JSON.fields(("id", .string("regimen-watched-files")), ("method", .string("workspace/didChangeWatchedFiles")),
                                           ("registerOptions", .fields(("watchers", .array([watcher])))))
            return [Self.request(.string("regimen-register-watchers"), "client/registerCapability",
                                 .fields(("registrations", .array([registration]))))]
        case "textDocument/didOpen":
            guard let item = params["textDocument"], let uri = item["uri"]?.string, let text = item["text"]?.string else {
                return skip("skipped a didOpen without textDocument.uri and text")
            }
            guard let path = FileURI.path(of: uri) else { return skip("skipped \(uri): only file: URIs are checked") }
            documents[uri] = OpenDocument(uri: uri, path: Path.normalize(path), version: item["version"]?.int ?? 0, bytes: Array(text.utf8))
            // The first check of a file just opened is not delayed; its includers see its text now.
            due[uri] = now
            scheduleIncluders(of: uri, at: now + debounceMilliseconds)
        case "textDocument/didChange":
            guard let uri = params["textDocument"]?["uri"]?.string, var document = documents[uri],
                  let changes = params["contentChanges"]?.array else {
                return skip("skipped a didChange for a document that is not open")
            }
            for change in changes { apply(change, to: &document.bytes) }
            document.version = params["textDocument"]?["version"]?.int ?? document.version + 1
            documents[uri] = document
            due[uri] = now + debounceMilliseconds
            scheduleIncluders(of: uri, at: now + debounceMilliseconds)
        case "textDocument/didClose":
            guard let uri = params["textDocument"]?["uri"]?.string, documents[uri] != nil else { return [] }
            // Its includers read it from disk again.
            scheduleIncluders(of: uri, at: now)
            documents[uri] = nil
            due[uri] = nil
            // A file that is not open shows no findings: the editor would keep the last ones for ever.
            return [Self.notification("textDocument/publishDiagnostics", .fields(("uri", .string(uri)), ("diagnostics", .array([]))))]
        case "workspace/didChangeWatchedFiles":
            // Changed on disk: the open documents that include one of the files, or that could not
            // read an include (it may exist now). An open file's own text is the editor's, not the disk's.
            let changed = Set((params["changes"]?.array ?? []).compactMap { $0["uri"]?.string.flatMap(FileURI.path(of:)).map(Path.normalize) })
            for (uri, document) in documents {
                guard let analysis = document.analysis else { continue }
                if !analysis.includedPaths.isDisjoint(with: changed) || analysis.findings.contains(where: { $0.category == .include }) {
                    due[uri] = min(due[uri] ?? .max, now + debounceMilliseconds)
                    documents[uri]?.includesChanged = true
                }
            }
        default:
            break  // `$/cancelRequest`, `$/setTrace`, settings: nothing to do.
        }
        return []
    }

    /// Applies one `contentChanges` entry: the whole text, or (from a client that sends them
    /// anyway) a range's replacement.
    private func apply(_ change: JSON, to bytes: inout [UInt8]) {
        guard let text = change["text"]?.string else { return }
        guard let range = change["range"], let start = TextPosition(range["start"]), let end = TextPosition(range["end"]) else {
            bytes = Array(text.utf8)
            return
        }
        let file = SourceFile(name: "", bytes: bytes)
        let from = file.offset(of: min(start, end)), to = file.offset(of: max(start, end))
        bytes.replaceSubrange(from..<to, with: Array(text.utf8))
    }

    /// Schedules the open documents whose last check read the file of `uri`.
    private mutating func scheduleIncluders(of uri: String, at time: Int) {
        guard let path = documents[uri]?.path else { return }
        for (other, document) in documents where other != uri && document.analysis?.includedPaths.contains(path) == true {
            due[other] = min(due[other] ?? time, time)
            documents[other]?.includesChanged = true
        }
    }

    // MARK: Checks

    /// Takes the checks due at `now` off the schedule.
    public mutating func takeDueChecks(now: Int) -> [CheckJob] {
        let ready = due.filter { $0.value <= now }.keys.sorted()
        for uri in ready { due[uri] = nil }
        return ready.compactMap { uri in
            guard let document = documents[uri] else { return nil }
            var job = job(document)
            job.ready = document.current
            return job
        }
    }

    private func job(_ document: OpenDocument) -> CheckJob {
        CheckJob(uri: document.uri, path: document.path, version: document.version, bytes: document.bytes,
                 provider: WorkspaceSourceProvider(open: Dictionary(documents.values.map { ($0.path, $0.bytes) }, uniquingKeysWith: { a, _ in a })),
                 today: today)
    }

    /// Keeps a finished check and publishes its diagnostics, unless the document has changed (or
    /// closed) since, or is due again: then the result is stale and dropped.
    public mutating func finish(_ job: CheckJob, _ analysis: Analysis) -> [JSON] {
        guard var document = documents[job.uri], document.version == job.version, due[job.uri] == nil else {
            log("dropped a stale check of \(job.uri) version \(job.version)")
            return []
        }
        document.analysis = analysis
        documents[job.uri] = document
        return [Self.notification("textDocument/publishDiagnostics", Features.publishedDiagnostics(analysis, uri: job.uri))]
    }

    /// The current check of an open document, made now if the last one is out of date.
    private mutating func analysis(of uri: String) -> Analysis? {
        guard let document = documents[uri] else { return nil }
        if let current = document.current { return current }
        let analysis = job(document).run()
        documents[uri]?.analysis = analysis
        return analysis
    }

    // MARK: JSON-RPC

    static func response(_ id: JSON, _ result: JSON) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("id", id), ("result", result))
    }

    static func error(_ id: JSON, _ code: ErrorCode, _ message: String) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("id", id), ("error", .fields(("code", .int(code.rawValue)), ("message", .string(message)))))
    }

    static func request(_ id: JSON, _ method: String, _ params: JSON) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("id", id), ("method", .string(method)), ("params", params))
    }

    static func notification(_ method: String, _ params: JSON) -> JSON {
        .fields(("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params))
    }
}
