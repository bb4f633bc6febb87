/// Fully connected layer with a fused activation: y = f(x Wᵀ + b), W stored out x in. It
/// flattens whatever shape it is given, as Lasagne's DenseLayer does.
public final class Dense: Layer {
    public let name: String
    public let weight: Parameter
    public let bias: Parameter?
    public let parameters: [Parameter]
    public let activation: Activation
    public let inputCount: Int
    public let units: Int
    private var pool = ThreadPool(threads: 1)

    public init(name: String, inputs: Int, units: Int, activation: Activation = .identity,
                initializer: Initializer = .glorotUniform, bias: Bool = true, decays: Bool = true) {
        self.name = name
        inputCount = inputs
        self.units = units
        self.activation = activation
        weight = Parameter(name: "\(name)/W", dimensions: [units, inputs], initializer: initializer,
                           fanIn: inputs, fanOut: units, decays: decays)
        self.bias = bias ? Parameter(name: "\(name)/b", dimensions: [units], initializer: .zeros,
                                     fanIn: 1, fanOut: 1, decays: false) : nil
        parameters = [weight] + (self.bias.map { [$0] } ?? [])
    }

    public var multiplyAdds: Int { inputCount * units }

    public func outputShape(for inputs: [Shape]) throws(EngineError) -> Shape {
        let x = try single(inputs, name)
        guard x.count == inputCount else {
            throw .shapeMismatch("\(name) expects \(inputCount) inputs, got \(x) = \(x.count)")
        }
        return Shape(units)
    }

    public func plan(capacity: Int, pool: ThreadPool) { self.pool = pool }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        let x = inputs[0], (n, m) = (inputCount, units)
        let w = UnsafePointer(weight.value), b = bias?.value
        pool.parallelFor(batch) { _, rows in
            let out = y.sample(rows.lowerBound)
            gemm(transB: true, m: rows.count, n: m, k: n, a: x.sample(rows.lowerBound), lda: n, b: w, ldb: n,
                 c: out, ldc: m)
            for r in 0..<rows.count {
                let line = out + r * m
                if let b { for j in 0..<m { line[j] += b[j] } }
                activation.apply(line, count: m)
            }
        }
    }

    public func backward(_ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
                         inputGradients: [Tensor?], batch: Int) {
        let x = inputs[0], dx = inputGradients[0], (n, m) = (inputCount, units)
        let w = UnsafePointer(weight.value), dW = weight.gradient, db = bias?.gradient
        pool.parallelFor(batch) { _, rows in
            activation.backward(dy.sample(rows.lowerBound), output: y.sample(rows.lowerBound), count: rows.count * m)
        }
        // Threads own disjoint rows of dW (output units), so no reduction is needed.
        pool.parallelFor(m) { _, units in
            gemm(transA: true, m: units.count, n: n, k: batch, a: dy.data + units.lowerBound, lda: m,
                 b: x.data, ldb: n, beta: 1, c: dW + units.lowerBound * n, ldc: n)
            if let db {
                for j in units {
                    var sum: Float = 0
                    for r in 0..<batch { sum += dy.data[r * m + j] }
                    db[j] += sum
                }
            }
        }
        if let dx {
            pool.parallelFor(batch) { _, rows in
                gemm(m: rows.count, n: n, k: m, a: dy.sample(rows.lowerBound), lda: m, b: w, ldb: n,
                     c: dx.sample(rows.lowerBound), ldc: n)
            }
        }
    }
}
