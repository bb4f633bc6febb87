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
    private var products = MatrixProducts.float32
    private var pass = Pass()
    private lazy var forwardJob: ParallelJob = { [unowned self] in forwardRows($1, thread: $0) }
    private lazy var activationJob: ParallelJob = { [unowned self] _, rows in
        activation.backward(
            pass.dy.sample(rows.lowerBound), output: pass.y.sample(rows.lowerBound), count: rows.count * units)
    }
    private lazy var weightGradientJob: ParallelJob = { [unowned self] in weightGradientUnits($1, thread: $0) }
    private lazy var inputGradientJob: ParallelJob = { [unowned self] thread, rows in
        products.multiply(
            m: rows.count, n: inputCount, k: units, a: pass.dy.sample(rows.lowerBound), lda: units, b: weight.value,
            ldb: inputCount, c: pass.dx!.sample(rows.lowerBound), ldc: inputCount, thread: thread)
    }

    public init(
        name: String, inputs: Int, units: Int, activation: Activation = .identity,
        initializer: Initializer = .glorotUniform, bias: Bool = true, decays: Bool = true
    ) {
        self.name = name
        inputCount = inputs
        self.units = units
        self.activation = activation
        weight = Parameter(
            name: "\(name)/W", dimensions: [units, inputs], initializer: initializer,
            fanIn: inputs, fanOut: units, decays: decays)
        self.bias =
            bias
            ? Parameter(
                name: "\(name)/b", dimensions: [units], initializer: .zeros,
                fanIn: 1, fanOut: 1, decays: false)
            : nil
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

    public func plan(_ context: PlanContext) {
        pool = context.pool
        let threads = context.pool.threads
        let rows = (context.capacity + threads - 1) / threads, columns = (units + threads - 1) / threads
        products = MatrixProducts(
            context.precision, threads: threads,
            sizes: [
                .init(m: rows, n: units, k: inputCount), .init(m: rows, n: inputCount, k: units),
                .init(m: columns, n: inputCount, k: context.capacity),
            ])
    }

    public func forward(_ inputs: [Tensor], into y: Tensor, batch: Int, mode: Mode) {
        pass = Pass(x: inputs[0], y: y)
        pool.parallelFor(batch, forwardJob)
    }

    private func forwardRows(_ rows: Range<Int>, thread: Int) {
        let (n, m) = (inputCount, units), b = bias?.value
        let out = pass.y.sample(rows.lowerBound)
        products.multiply(
            transB: true, m: rows.count, n: m, k: n, a: pass.x.sample(rows.lowerBound), lda: n, b: weight.value, ldb: n,
            c: out, ldc: m, thread: thread)
        for r in 0..<rows.count {
            let line = out + r * m
            if let b { for j in 0..<m { line[j] += b[j] } }
            activation.apply(line, count: m)
        }
    }

    public func backward(
        _ inputs: [Tensor], output y: Tensor, outputGradient dy: Tensor,
        inputGradients: [Tensor?], batch: Int
    ) {
        pass = Pass(x: inputs[0], y: y, dy: dy, dx: inputGradients[0], batch: batch)
        pool.parallelFor(batch, activationJob)
        // Threads own disjoint rows of dW (output units), so no reduction is needed.
        if !weight.frozen || bias?.frozen == false { pool.parallelFor(units, weightGradientJob) }
        if pass.dx != nil { pool.parallelFor(batch, inputGradientJob) }
    }

    private func weightGradientUnits(_ range: Range<Int>, thread: Int) {
        let (n, m, batch) = (inputCount, units, pass.batch), dy = pass.dy.data
        if !weight.frozen {
            products.multiply(
                transA: true, m: range.count, n: n, k: batch, a: dy + range.lowerBound, lda: m,
                b: pass.x.data, ldb: n, beta: 1, c: weight.gradient + range.lowerBound * n, ldc: n, thread: thread)
        }
        if let bias, !bias.frozen {
            let db = bias.gradient
            for j in range {
                var sum: Float = 0
                for r in 0..<batch { sum += dy[r * m + j] }
                db[j] += sum
            }
        }
    }
}
