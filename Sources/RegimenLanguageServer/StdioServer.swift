#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RegimenCore
import SystemFiles

/// Runs a `LanguageServer` over standard input and output until `exit` or the end of input.
/// One thread: it waits for input or for the next check to fall due, whichever comes first. While
/// a check runs, input waits in the pipe; halfway through, an edit of the same document waiting
/// there gives the check up, and all input is read before a result is published, so an edit typed
/// meanwhile makes the result stale and it is dropped.
public enum StdioServer {
    /// Serves until `exit` (or the end of input) and returns the exit status.
    public static func run(today: CivilDate, debounceMilliseconds: Int = 150) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        var server = LanguageServer(today: today, debounceMilliseconds: debounceMilliseconds, log: logError)
        var framing = MessageFraming()
        var open = true
        while true {
            if let code = server.exitCode { return code }
            let timeout = server.nextDeadline.map { Int32(clamping: max(0, $0 - now())) } ?? -1
            if open, wait(timeout: timeout) {
                open = read(into: &framing)
                guard deliver(&framing, to: &server) else { return 1 }
            } else if !open {
                // Input has ended: finish the checks still scheduled, sleeping until they are due.
                guard let deadline = server.nextDeadline else { return server.exitCode ?? server.exitCodeAtEndOfInput }
                let wait = deadline - now()
                if wait > 0 { usleep(UInt32(clamping: wait * 1000)) }
            }
            for job in server.takeDueChecks(now: now()) {
                // Halfway, a waiting edit of the same document gives the check up: its result
                // would be dropped, and the edit's own check is due soon.
                let analysis = job.run(abandon: {
                    readWaiting(into: &framing, open: &open)
                    return job.isOvertaken(by: framing.pending())
                })
                // Edits that came in while the check ran go first: they may make it stale.
                readWaiting(into: &framing, open: &open)
                guard deliver(&framing, to: &server) else { return 1 }
                guard let analysis else {
                    logError("gave up a check of \(job.uri) version \(job.version): a newer edit is waiting")
                    continue
                }
                guard send(server.finish(job, analysis)) else { return 1 }
            }
            if !open, server.exitCode == nil, server.nextDeadline == nil {
                return server.exitCodeAtEndOfInput
            }
        }
    }

    /// Hands every whole frame to the server and sends its answers; false when output is gone.
    private static func deliver(_ framing: inout MessageFraming, to server: inout LanguageServer) -> Bool {
        while let frame = framing.next() {
            guard send(server.receive(frame, now: now())) else { return false }
            if server.exitCode != nil { return true }
        }
        return true
    }

    private static func send(_ messages: [JSON]) -> Bool {
        for message in messages {
            if let failure = Files.writeAll(MessageFraming.frame(message), to: STDOUT_FILENO) {
                logError("cannot write to the client: \(failure)")
                return false
            }
        }
        return true
    }

    /// Reads the input waiting, and the rest of a message already begun: a large edit comes in
    /// pieces, and a half-read one would not make a check stale.
    private static func readWaiting(into framing: inout MessageFraming, open: inout Bool) {
        while open, wait(timeout: 0) || (framing.endsInPartialFrame && wait(timeout: 1000)) {
            open = read(into: &framing)
        }
    }

    /// Waits up to `timeout` ms (-1: for ever) for input; true when there is some (or its end).
    private static func wait(timeout: Int32) -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeout)
            if ready < 0, errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Reads what is available; false at the end of input.
    private static func read(into framing: inout MessageFraming) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            framing.append(buffer[0..<count])
            return true
        }
    }

    /// Milliseconds on a clock that only goes forward.
    private static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int(time.tv_sec) * 1000 + Int(time.tv_nsec) / 1_000_000
    }

    private static func logError(_ text: String) {
        _ = Files.writeAll(Array("regimen lsp: \(text)\n".utf8), to: STDERR_FILENO)
    }
}
