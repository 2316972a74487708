/// A simple temporal network: variables are times, constraints are differences
/// `t[j] − t[i] ≤ w`. It keeps all-pairs shortest paths, so a new constraint is checked and
/// added in O(n²), and each variable's feasible range is known at any time.
struct TemporalNetwork {
    /// Node 0 is the origin (midnight of the dosing day, time 0).
    let count: Int
    private var distance: [Int]
    static let unbounded = Int.max / 4

    init(variables: Int) {
        count = variables + 1
        distance = Array(repeating: Self.unbounded, count: count * count)
        for i in 0..<count { distance[i * count + i] = 0 }
    }

    func d(_ i: Int, _ j: Int) -> Int { distance[i * count + j] }

    /// Adds `t[j] − t[i] ≤ w`; false (and no change) when that makes the network inconsistent.
    @discardableResult
    mutating func add(from i: Int, to j: Int, _ w: Int) -> Bool {
        if d(j, i) < Self.unbounded, d(j, i) + w < 0 { return false }
        guard w < d(i, j) else { return true }
        let n = count
        // Through the new edge: a → i → j → b.
        var toI = [Int](repeating: 0, count: n), fromJ = [Int](repeating: 0, count: n)
        for a in 0..<n { toI[a] = distance[a * n + i] }
        for b in 0..<n { fromJ[b] = distance[j * n + b] }
        for a in 0..<n where toI[a] < Self.unbounded {
            let base = toI[a] + w
            let row = a * n
            for b in 0..<n where fromJ[b] < Self.unbounded {
                let candidate = base + fromJ[b]
                if candidate < distance[row + b] { distance[row + b] = candidate }
            }
        }
        return true
    }

    /// A network with many constraints at once (`t[to] − t[from] ≤ weight`), closed by one
    /// Floyd–Warshall pass, O(n³), instead of O(n²) per constraint; nil when they cannot all hold.
    static func closed(variables: Int, edges: [(from: Int, to: Int, weight: Int)]) -> TemporalNetwork? {
        var network = TemporalNetwork(variables: variables)
        let n = network.count
        for edge in edges where edge.weight < network.distance[edge.from * n + edge.to] {
            network.distance[edge.from * n + edge.to] = edge.weight
        }
        for k in 0..<n {
            for i in 0..<n {
                let ik = network.distance[i * n + k]
                guard ik < Self.unbounded else { continue }
                let row = i * n, krow = k * n
                for j in 0..<n {
                    let kj = network.distance[krow + j]
                    if kj < Self.unbounded, ik + kj < network.distance[row + j] { network.distance[row + j] = ik + kj }
                }
            }
        }
        for i in 0..<n where network.distance[i * n + i] < 0 { return nil }
        return network
    }

    /// Keeps variable `v` (node v) within [low, high] minutes.
    @discardableResult
    mutating func bound(_ v: Int, _ low: Int, _ high: Int) -> Bool {
        add(from: 0, to: v, high) && add(from: v, to: 0, -low)
    }

    /// The feasible range of variable `v`.
    func range(_ v: Int) -> ClosedRange<Int> {
        let low = -d(v, 0), high = d(0, v)
        return low...max(low, high)
    }

    /// Whether `t[j] − t[i] ≤ w` can still be added.
    func allows(from i: Int, to j: Int, _ w: Int) -> Bool {
        d(j, i) >= Self.unbounded || d(j, i) + w >= 0
    }
}
