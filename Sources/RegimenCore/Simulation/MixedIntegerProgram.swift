import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mixed-integer linear program, solved by COIN-OR CBC through its C interface. The library is
/// loaded with `dlopen` the first time a program is solved (only `--arrange` does), so every other
/// command starts without it; `scripts/setup.sh` installs it (`coinor-libcbc-dev`).
struct MixedIntegerProgram {
    struct Column {
        var lower: Double
        var upper: Double
        var cost: Double
        var integer: Bool
    }

    /// `Σ coefficient·x ≤ rhs` (sense "L"), `≥` ("G") or `=` ("E").
    struct Row {
        var columns: [Int32]
        var coefficients: [Double]
        var sense: UInt8
        var rhs: Double
    }

    var columns: [Column] = []
    var rows: [Row] = []
    /// Search without CBC's preprocessing and strong branching: for programs whose relaxation is
    /// already close to the optimum, where nodes are cheap and many (see `solveAlone`).
    var closeRelaxation = false

    mutating func column(lower: Double, upper: Double, cost: Double = 0, integer: Bool = true) -> Int {
        columns.append(Column(lower: lower, upper: upper, cost: cost, integer: integer))
        return columns.count - 1
    }

    mutating func row(_ terms: [(Int, Double)], _ sense: Character, _ rhs: Double) {
        let kept = terms.filter { $0.1 != 0 }
        rows.append(Row(columns: kept.map { Int32($0.0) }, coefficients: kept.map(\.1), sense: sense.asciiValue!, rhs: rhs))
    }

    enum Status: Equatable {
        /// The values are an optimum, proven.
        case optimal
        /// No solution exists, proven.
        case infeasible
        /// Stopped at a limit; the values (if any) are the best found, `bound` the best possible objective.
        case stopped(found: Bool, limit: String)
        /// The solver library could not be loaded.
        case unavailable(String)
    }

    struct Result {
        var status: Status
        var values: [Double]
        var objective: Double
        var bound: Double
        var nodes: Int
    }

    struct Limits {
        var seconds: Double
        var nodes: Int
    }

    /// CBC keeps some state of its own between models: one solve at a time in the process.
    private static let lock = Mutex(())

    func solve(_ limits: Limits) -> Result {
        Self.lock.withLock { _ in solveAlone(limits) }
    }

    private func solveAlone(_ limits: Limits) -> Result {
        guard let cbc = CBC.shared else {
            return Result(status: .unavailable(CBC.loadError), values: [], objective: 0, bound: 0, nodes: 0)
        }
        let model = cbc.newModel()
        defer { cbc.deleteModel(model) }
        cbc.setLogLevel(model, 0)
        for column in columns {
            cbc.addCol(model, "", column.lower, column.upper, column.cost, column.integer ? 1 : 0, 0, nil, nil)
        }
        for row in rows {
            row.columns.withUnsafeBufferPointer { columns in
                row.coefficients.withUnsafeBufferPointer { coefficients in
                    cbc.addRow(model, "", Int32(columns.count), columns.baseAddress, coefficients.baseAddress, CChar(bitPattern: row.sense), row.rhs)
                }
            }
        }
        cbc.setObjSense(model, 1)
        // Every objective here is integral: a gap under one is a proof of optimality.
        cbc.setAllowableGap(model, 0.999)
        cbc.setMaximumSeconds(model, limits.seconds)
        cbc.setMaximumNodes(model, Int32(limits.nodes))
        // These programs are small, and their relaxations are weak in the way cuts do not mend (a big M
        // per side of a rule): CBC's root cuts and heuristics cost most of the time and shorten the
        // search little. Branch and bound alone proves the same optimum 5 to 20 times sooner
        // (measured on the cross-check's day problems; README, "Speed").
        cbc.setParameter(model, "cutsOnOff", "off")
        cbc.setParameter(model, "heuristicsOnOff", "off")
        if closeRelaxation {
            // With the rows for the movement each rule forces (Arranger.program), the least-movement
            // program's bound is close, and what is left is cheap nodes: CBC's preprocessing and
            // strong branching cost more per node than they save. Measured on the cross-check's 240
            // day problems (processor time per process): median 22.8 → 20.9 ms, 95th percentile
            // 56 → 44 ms, with the same proven optima; the slowest (an open day of 24 items) 0.20 →
            // 0.33 s; the benchmark's stress plan 0.27–0.34 → 0.17–0.21 s a process. The programs
            // that set rules aside keep both: without them, one of the benchmark's drawn years took
            // 1.6 s instead of 0.2 s.
            cbc.setParameter(model, "preprocess", "off")
            cbc.setParameter(model, "strongBranching", "0")
        }
        cbc.setParameter(model, "randomSeed", "1")
        cbc.setParameter(model, "randomCbcSeed", "1")
        _ = cbc.solve(model)
        let nodes = Int(cbc.getNodeCount(model))
        let found = cbc.numberSavedSolutions(model) > 0 || cbc.isProvenOptimal(model) != 0
        var values: [Double] = []
        if found, let solution = cbc.getColSolution(model) {
            values = (0..<columns.count).map { solution[$0] }
        }
        let objective = found ? cbc.getObjValue(model) : .infinity
        let bound = cbc.getBestPossibleObjValue(model)
        let status: Status
        if cbc.isProvenOptimal(model) != 0 {
            status = .optimal
        } else if cbc.isProvenInfeasible(model) != 0 {
            status = .infeasible
        } else if cbc.isNodeLimitReached(model) != 0 {
            status = .stopped(found: found, limit: "\(limits.nodes) search nodes")
        } else if cbc.isSecondsLimitReached(model) != 0 {
            status = .stopped(found: found, limit: "\(Self.secondsText(limits.seconds)) of search")
        } else {
            status = .stopped(found: found, limit: "the solver's own limits")
        }
        return Result(status: status, values: values, objective: objective, bound: bound, nodes: nodes)
    }

    /// Seconds of processor time the calling thread has used. CBC counts its own limit in processor
    /// time too, and solves on the calling thread (with no `threads` parameter: `threads 1` starts a
    /// worker thread, whose time the calling thread's clock would not see).
    static func processorSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func secondsText(_ seconds: Double) -> String {
        seconds >= 1 ? "\(Int(seconds)) s" : "\(Int((seconds * 1000).rounded())) ms"
    }
}

/// CBC's C functions, looked up once.
final class CBC: @unchecked Sendable {
    typealias Model = OpaquePointer
    let newModel: @convention(c) () -> Model
    let deleteModel: @convention(c) (Model) -> Void
    let setLogLevel: @convention(c) (Model, Int32) -> Void
    let addCol: @convention(c) (Model, UnsafePointer<CChar>, Double, Double, Double, CChar, Int32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Double>?) -> Void
    let addRow: @convention(c) (Model, UnsafePointer<CChar>, Int32, UnsafePointer<Int32>?, UnsafePointer<Double>?, CChar, Double) -> Void
    let setObjSense: @convention(c) (Model, Double) -> Void
    let setAllowableGap: @convention(c) (Model, Double) -> Void
    let setMaximumSeconds: @convention(c) (Model, Double) -> Void
    let setMaximumNodes: @convention(c) (Model, Int32) -> Void
    let setParameter: @convention(c) (Model, UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void
    let solve: @convention(c) (Model) -> Int32
    let getNodeCount: @convention(c) (Model) -> Int32
    let numberSavedSolutions: @convention(c) (Model) -> Int32
    let getColSolution: @convention(c) (Model) -> UnsafePointer<Double>?
    let getObjValue: @convention(c) (Model) -> Double
    let getBestPossibleObjValue: @convention(c) (Model) -> Double
    let isProvenOptimal: @convention(c) (Model) -> Int32
    let isProvenInfeasible: @convention(c) (Model) -> Int32
    let isNodeLimitReached: @convention(c) (Model) -> Int32
    let isSecondsLimitReached: @convention(c) (Model) -> Int32

    nonisolated(unsafe) static var loadError = ""
    static let shared: CBC? = CBC()

    private init?() {
        let names = ["libCbcSolver.so.3", "libCbcSolver.so", "libCbcSolver.dylib", "/opt/homebrew/lib/libCbcSolver.dylib", "/usr/local/lib/libCbcSolver.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else {
            Self.loadError = "the COIN-OR CBC solver library (libCbcSolver) is not installed: run scripts/setup.sh, or apt-get install coinor-libcbc-dev"
            return nil
        }
        var missing: [String] = []
        func symbol<T>(_ name: String, _: T.Type) -> T {
            guard let pointer = dlsym(handle, name) else {
                missing.append(name)
                return unsafeBitCast(dlsym(handle, "Cbc_getVersion")!, to: T.self)
            }
            return unsafeBitCast(pointer, to: T.self)
        }
        newModel = symbol("Cbc_newModel", (@convention(c) () -> Model).self)
        deleteModel = symbol("Cbc_deleteModel", (@convention(c) (Model) -> Void).self)
        setLogLevel = symbol("Cbc_setLogLevel", (@convention(c) (Model, Int32) -> Void).self)
        addCol = symbol("Cbc_addCol", (@convention(c) (Model, UnsafePointer<CChar>, Double, Double, Double, CChar, Int32, UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Double>?) -> Void).self)
        addRow = symbol("Cbc_addRow", (@convention(c) (Model, UnsafePointer<CChar>, Int32, UnsafePointer<Int32>?, UnsafePointer<Double>?, CChar, Double) -> Void).self)
        setObjSense = symbol("Cbc_setObjSense", (@convention(c) (Model, Double) -> Void).self)
        setAllowableGap = symbol("Cbc_setAllowableGap", (@convention(c) (Model, Double) -> Void).self)
        setMaximumSeconds = symbol("Cbc_setMaximumSeconds", (@convention(c) (Model, Double) -> Void).self)
        setMaximumNodes = symbol("Cbc_setMaximumNodes", (@convention(c) (Model, Int32) -> Void).self)
        setParameter = symbol("Cbc_setParameter", (@convention(c) (Model, UnsafePointer<CChar>, UnsafePointer<CChar>) -> Void).self)
        solve = symbol("Cbc_solve", (@convention(c) (Model) -> Int32).self)
        getNodeCount = symbol("Cbc_getNodeCount", (@convention(c) (Model) -> Int32).self)
        numberSavedSolutions = symbol("Cbc_numberSavedSolutions", (@convention(c) (Model) -> Int32).self)
        getColSolution = symbol("Cbc_getColSolution", (@convention(c) (Model) -> UnsafePointer<Double>?).self)
        getObjValue = symbol("Cbc_getObjValue", (@convention(c) (Model) -> Double).self)
        getBestPossibleObjValue = symbol("Cbc_getBestPossibleObjValue", (@convention(c) (Model) -> Double).self)
        isProvenOptimal = symbol("Cbc_isProvenOptimal", (@convention(c) (Model) -> Int32).self)
        isProvenInfeasible = symbol("Cbc_isProvenInfeasible", (@convention(c) (Model) -> Int32).self)
        isNodeLimitReached = symbol("Cbc_isNodeLimitReached", (@convention(c) (Model) -> Int32).self)
        isSecondsLimitReached = symbol("Cbc_isSecondsLimitReached", (@convention(c) (Model) -> Int32).self)
        guard missing.isEmpty else {
            Self.loadError = "the COIN-OR CBC library lacks \(missing.joined(separator: ", "))"
            return nil
        }
    }
}
