#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEditShim
import SystemFiles

/// A line editor on libedit: emacs keys (vi when the user's editrc says so), history kept
/// across sessions and appended as each entry is entered, Tab completion, Ctrl-C abandoning the
/// current input. C callbacks find this object through libedit's client data, not a global.
public final class LineEditor {
    /// What a read gives back.
    public enum Input: Equatable {
        case line(String)
        /// Ctrl-C: the input so far is abandoned.
        case interrupted
        /// Ctrl-D on an empty line, or the end of input.
        case end
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let maxHistory: Int
    private var promptText: UnsafeMutablePointer<CChar>
    /// Candidates for the word before the cursor, given the text up to the cursor.
    public var complete: ((String) -> [String])?

    /// Opens the editor on the terminal; nil when libedit cannot start.
    public init?(program: String, historyFile: String?, maxHistory: Int = 1000) {
        guard let editLine = regimen_el_open(program), let history = regimen_history_open(Int32(maxHistory)) else { return nil }
        self.editLine = editLine
        self.history = history
        self.historyFile = historyFile
        self.maxHistory = maxHistory
        self.promptText = strdup("> ")
        regimen_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        regimen_el_set_prompt(editLine) { editLine in
            guard let editor = LineEditor.owner(of: editLine) else { return nil }
            return editor.promptText
        }
        regimen_el_bind_completion(editLine) { editLine, _ in
            guard let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
            return editor.completeAtCursor()
        }
        regimen_el_use_history(editLine, history)
        regimen_install_interrupt_handler()
        loadHistory()
    }

    /// Why libedit could not be loaded, once an editor has failed to open for that reason.
    public static var loadError: String? { regimen_edit_load_error().map { String(cString: $0) } }

    deinit {
        regimen_el_close(editLine)
        regimen_history_close(history)
        free(promptText)
    }

    private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = regimen_el_get_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Reads one line with the given prompt.
    public func read(prompt: String) -> Input {
        free(promptText)
        promptText = strdup(prompt)
        var count: Int32 = 0
        let text = regimen_el_gets(editLine, &count)
        if regimen_take_interrupt() != 0 {
            print("^C")
            return .interrupted
        }
        guard let text, count > 0 else { return .end }
        var line = String(cString: text)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    // MARK: Completion

    /// Inserts the rest of the only candidate, or the part all candidates share; lists them otherwise.
    private func completeAtCursor() -> UInt8 {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = regimen_el_text_before_cursor(editLine, &buffer, Int32(buffer.count))
        let before = String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let candidates = complete?(before) ?? []
        let word = before.hasSuffix(" ") ? "" : String(before.split(separator: " ").last ?? "")
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        let shared = candidates.dropFirst().reduce(candidates[0]) { common, next in
            String(zip(common, next).prefix { $0 == $1 }.map(\.0))
        }
        if shared.count > word.count, shared.lowercased().hasPrefix(word.lowercased()) {
            let rest = String(shared.dropFirst(word.count)) + (candidates.count == 1 ? " " : "")
            regimen_el_insert(editLine, rest)
            return UInt8(CC_REFRESH)
        }
        if candidates.count == 1 {
            regimen_el_insert(editLine, " ")
            return UInt8(CC_REFRESH)
        }
        print("\n" + candidates.prefix(60).joined(separator: "  "))
        return UInt8(CC_REDISPLAY)
    }

    // MARK: History

    /// Enters a line into the history and appends it to the history file at once, so a crash loses nothing.
    public func remember(_ line: String) {
        guard line.contains(where: { $0 != " " && $0 != "\t" }) else { return }
        regimen_history_enter(history, line)
        guard let historyFile else { return }
        Files.append(Array((Self.escape(line) + "\n").utf8), to: historyFile)
    }

    /// Loads the last entries of the history file, and trims the file (atomically) when it has grown past twice the bound.
    private func loadHistory() {
        guard let historyFile, case .bytes(let data) = Files.read(historyFile, maxBytes: 16 << 20) else { return }
        let entries = String(decoding: data, as: UTF8.self).split(separator: "\n").map { Self.unescape(String($0)) }
        for entry in entries.suffix(maxHistory) { regimen_history_enter(history, entry) }
        if entries.count > 2 * maxHistory {
            let kept = entries.suffix(maxHistory).map { Self.escape($0) + "\n" }.joined()
            try? Files.writeAtomically(Array(kept.utf8), to: historyFile)
        }
    }

    /// One entry per line: backslashes and newlines escaped.
    static func escape(_ line: String) -> String {
        line.replacing("\\", with: "\\\\").replacing("\n", with: "\\n")
    }

    static func unescape(_ line: String) -> String {
        var out = ""
        var escaped = false
        for character in line {
            if escaped {
                out.append(character == "n" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// `$XDG_STATE_HOME/regimen/history`, or `~/.local/state/regimen/history`; its folder is made if missing.
    public static func defaultHistoryFile() -> String? {
        let state = Files.environment("XDG_STATE_HOME").flatMap { $0.isEmpty ? nil : $0 }
            ?? Files.environment("HOME").map { $0 + "/.local/state" }
        guard let state else { return nil }
        let folder = state + "/regimen"
        Files.makeFolders(folder)
        return folder + "/history"
    }
}
