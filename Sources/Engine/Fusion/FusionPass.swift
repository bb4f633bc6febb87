/// A chain of layers computed as one operator, faster than the layers one by one and checked
/// against them. Its type opens with the pattern it replaces.
protocol FusedOperator: GraphStep {
    /// Whether the graph has the pattern ending at `node`; if so, the pattern's other nodes,
    /// which the operator keeps to itself (no other layer reads them).
    static func match(_ node: Int, in graph: GraphView) -> [Int]?
    /// Bound to the tensors of the pattern ending at `node`.
    init(_ node: Int, in graph: GraphView, _ tensors: StepTensors)
}

/// One place where a fused operator replaces the steps of its pattern's layers.
struct FusionMatch {
    let operatorType: any FusedOperator.Type
    /// The node the operator writes last, where its step goes.
    let output: Int
    /// The pattern's other nodes, whose layers' steps it replaces.
    let inner: [Int]

    func make(_ graph: GraphView, _ tensors: StepTensors) -> GraphStep { operatorType.init(output, in: graph, tensors) }
}

/// The graph pass that runs after a network is built: it finds each fused operator's pattern and
/// puts the operator in place of the pattern's layers (`Network.PlanOptions.fusion` switches it
/// off). Patterns do not overlap; the first one listed wins. Adding a fused operator is adding its
/// file and its type to `operators`.
enum FusionPass {
    static let operators: [any FusedOperator.Type] = [
        PooledConvolution.self, UpscaledTransposedConvolution.self, FoldedNormalization.self,
    ]

    static func matches(in graph: GraphView) -> [FusionMatch] {
        var taken = Set<Int>(), found: [FusionMatch] = []
        for node in graph.entries.indices {
            for type in operators {
                guard let inner = type.match(node, in: graph), taken.isDisjoint(with: inner + [node]) else { continue }
                taken.formUnion(inner + [node])
                found.append(FusionMatch(operatorType: type, output: node, inner: inner))
                break
            }
        }
        return found
    }
}
