import Foundation
import TallyKit
import TallyLanguage
import TallyPricing
import TallyQuantities
import TallyRender
import TallySyntax

/// In-process measurements for `Scripts/bench`: engine throughput over varied
/// workloads, and parse-and-check throughput over a generated script. Prints
/// one `name value unit` line per figure; Scripts/bench does the comparing.
@main
struct Bench {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "engine":
            engine(count: arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000,
                   requestsFile: arguments.dropFirst(2).first)
        case "check":
            check(path: arguments.dropFirst().first ?? "")
        case "prompt":
            prompt(path: arguments.dropFirst().first ?? "", times: arguments.dropFirst(2).first.flatMap(Int.init) ?? 20,
                   input: arguments.dropFirst(3).first ?? "total")
        case "generate":
            generate(megabytes: arguments.dropFirst().first.flatMap(Int.init) ?? 10, path: arguments.dropFirst(2).first ?? "bench.tally")
        case "plan":
            let last = arguments.dropFirst(3).first
            plan(workloads: arguments.dropFirst().first.flatMap(Int.init) ?? 20_000, path: arguments.dropFirst(2).first ?? "plan.tally",
                 revised: last == "revised", requestsFile: last == "revised" ? nil : last)
        default:
            FileHandle.standardError.write(Data("usage: tally-bench engine [COUNT [REQUESTS.json]] | check FILE | prompt FILE [TIMES [INPUT]] | generate MB FILE | plan WORKLOADS FILE [revised|REQUESTS.json]\n".utf8))
            exit(2)
        }
    }

    /// The fuzzer's SplitMix64: the same seed, the same workloads.
    typealias Generator = FuzzMutator.Random

    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Prices `count` requests (one workload each: model, tokens, cache
    /// shares, endpoint), as `Scripts/bench` also asks genai-prices to. With
    /// a file, writes the requests there as JSON first.
    static func engine(count: Int, requestsFile: String?) {
        guard case .success(let catalog) = BuiltinCatalog.loaded else { exit(2) }
        // The text models genai-prices also prices, so both sides see the same requests.
        let models = catalog.sortedModels.filter { model in
            guard model.kind == .text, model.id != nil, let input = model.rate(.input, region: "us-east-1", endpoint: .global) else { return false }
            return input.source.contains("genai-prices") && model.rate(.output, region: "us-east-1", endpoint: .global) != nil
        }
        var generator = Generator(seed: 7)
        let perRequest = Rational(1).divided(by: Units.month.factor) ?? .zero
        var workloads: [Workload] = []
        workloads.reserveCapacity(count)
        var requests: [(Int, Int, Int, Int)] = []
        requests.reserveCapacity(count)
        var json: [String] = []
        for _ in 0..<count {
            let model = models[generator.below(models.count)]
            var w = Workload(name: "w")
            w.model = model
            w.requestsPerSecond = perRequest
            let input = 1 + generator.below(20_000)
            let output = generator.below(4_000)
            w.inputTokens = Rational(input)
            w.outputTokens = Rational(output)
            var read = 0
            var write = 0
            if model.rate(.cacheRead, region: "us-east-1", endpoint: .global) != nil {
                read = generator.below(input / 2 + 1)
                write = generator.below((input - read) / 2 + 1)
                w.cacheRead = Rational(Int128(read), Int128(input)) ?? .zero
                w.cacheWrite = Rational(Int128(write), Int128(input)) ?? .zero
            }
            if model.pricesByEndpoint { w.endpoint = .global }
            workloads.append(w)
            requests.append((input, output, read, write))
            if requestsFile != nil, let line = requestJSON(model, input: input, output: output, read: read, write: write) {
                json.append(line)
            }
        }
        if let requestsFile { write(json, to: requestsFile) }
        // Full estimates: lines, rates, sources, totals.
        let fullCount = min(count, 200_000)
        var start = now()
        var total = Rational.zero
        var failures = 0
        for w in workloads.prefix(fullCount) {
            if let b = try? Engine.estimate(w) { total = total.adding(b.total) ?? total } else { failures += 1 }
        }
        var seconds = now() - start
        print("engine.estimates \(fullCount)")
        print("engine.failures \(failures)")
        print("engine.estimates_per_second \(Double(fullCount) / seconds)")
        // Request quotes: the same rates and rules, compiled per model, on every request.
        var quotes: [String: RequestQuote] = [:]
        for model in models {
            quotes[model.name] = RequestQuote(model: model, region: "us-east-1", endpoint: .global)
        }
        start = now()
        var quoted = Rational.zero
        var missed = 0
        for (w, r) in zip(workloads, requests) {
            guard let name = w.model?.name, let q = quotes[name],
                  let price = q.price(input: r.0, output: r.1, cacheRead: r.2, cacheWrite: r.3) else {
                missed += 1
                continue
            }
            quoted = quoted.adding(price) ?? quoted
        }
        seconds = now() - start
        print("quote.requests \(count)")
        print("quote.failures \(missed)")
        print("quote.per_second \(Double(count) / seconds)")
        print("quote.checksum \(quoted.decimalString(fractionDigits: 6))")
    }

    /// One request as `Scripts/bench` hands it to the other price sources: the
    /// model's name, its Bedrock reference (for a model priced by endpoint, its
    /// global profile's id, the endpoint Tally assumes by default), and the tokens.
    static func requestJSON(_ model: ModelPrice, input: Int, output: Int, read: Int, write: Int) -> String? {
        guard let id = model.id else { return nil }
        let ref = model.pricesByEndpoint ? "global." + id : id
        return "{\"model\":\"\(model.name)\",\"ref\":\"\(ref)\",\"id\":\"\(id)\",\"input\":\(input),\"output\":\(output),\"cache_read\":\(read),\"cache_write\":\(write)}"
    }

    static func write(_ json: [String], to path: String) {
        try? ("[" + json.joined(separator: ",\n") + "]\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Parses and evaluates a script (every `assert` included), as `tally check` does.
    static func check(path: String) {
        guard let data = FileManager.default.contents(atPath: path), case .success(var session) = Session.standard() else { exit(2) }
        let text = String(decoding: data, as: UTF8.self)
        let start = now()
        let outcome = session.run(SourceFile(name: path, text: text))
        let seconds = now() - start
        print("check.bytes \(data.count)")
        print("check.seconds \(seconds)")
        print("check.megabytes_per_second \(Double(data.count) / 1_000_000 / seconds)")
        print("check.assertions \(outcome.assertions.count)")
        print("check.errors \(outcome.diagnostics.filter { $0.severity == .error }.count)")
    }

    /// The prompt's `total` (or another input) after `:load FILE`, as the
    /// interactive prompt runs it (`Repl.feed`, which renders too): the mean
    /// of `times` inputs.
    static func prompt(path: String, times: Int, input: String) {
        guard case .success(let session) = Session.standard() else { exit(2) }
        var repl = Repl(session: session)
        let loaded = repl.feed(":load \(path)")
        guard loaded.stderr.isEmpty || !loaded.stderr.contains("error") else {
            FileHandle.standardError.write(Data(loaded.stderr.utf8))
            exit(2)
        }
        var bytes = 0
        let start = now()
        for _ in 0..<max(times, 1) { bytes += repl.feed(input).stdout.utf8.count }
        let seconds = (now() - start) / Double(max(times, 1))
        print("prompt.total_seconds \(seconds)")
        print("prompt.total_bytes \(bytes / max(times, 1))")
    }

    /// A plan of about `megabytes` MB: lets, workloads of every kind of
    /// property, comparisons, and asserts.
    static func generate(megabytes: Int, path: String) {
        var generator = Generator(seed: 11)
        var out = "# A generated plan for Tally's benchmarks.\nregion us-east-1\n"
        var i = 0
        while out.utf8.count < megabytes * 1_000_000 {
            out += workload(i, &generator).text
            i += 1
        }
        try? out.write(toFile: path, atomically: true, encoding: .utf8)
        print("generate.bytes \(out.utf8.count)")
        print("generate.workloads \(i)")
    }

    /// A plan of `workloads` workloads (about 200 bytes each). Its revision,
    /// for `tally diff`: every tenth workload makes more requests, every
    /// fiftieth is gone, and one in fifty is new. With a requests file, also
    /// writes there one request of each workload as JSON (its cache share of
    /// the input tokens rounded down to whole tokens), for the other price sources.
    static func plan(workloads: Int, path: String, revised: Bool, requestsFile: String? = nil) {
        var generator = Generator(seed: 11)
        var out = "# A generated plan for Tally's benchmarks.\nregion us-east-1\n"
        var drawn: [PlanWorkload] = []
        for i in 0..<workloads {
            let w = workload(i, &generator)
            guard !(revised && i % 50 == 7) else { continue }
            out += revised && i % 10 == 3 ? w.text.replacingOccurrences(of: "/day\n", with: "0/day\n") : w.text
            drawn.append(w)
        }
        if revised {
            for i in 0..<workloads / 50 { out += workload(workloads + i, &generator).text }
        }
        try? out.write(toFile: path, atomically: true, encoding: .utf8)
        print("plan.bytes \(out.utf8.count)")
        guard let requestsFile else { return }
        guard case .success(let catalog) = BuiltinCatalog.loaded else { exit(2) }
        let json = drawn.compactMap { w in
            catalog.model(named: w.model).flatMap {
                requestJSON($0, input: w.input, output: w.output, read: w.input * w.cachePercent / 100, write: 0)
            }
        }
        write(json, to: requestsFile)
        print("plan.requests \(json.count)")
    }

    /// A generated workload: its text, and what a request of it is.
    struct PlanWorkload {
        var text: String
        var model: String
        var input: Int
        var output: Int
        var cachePercent: Int
    }

    static func workload(_ i: Int, _ generator: inout Generator) -> PlanWorkload {
        let models = ["nova-micro", "nova-lite", "nova-pro", "haiku-4.5", "sonnet-4.5", "opus-4.5", "llama-3.3-70b"]
        let model = models[generator.below(models.count)]
        // Drawn in the order the plans have always been generated in: the same seed, the same plan.
        let cachePercent = model.hasPrefix("llama") ? 0 : generator.below(80)
        let cache = model.hasPrefix("llama") ? "" : "; cache \(cachePercent)%"
        let peak = 1 + generator.below(9000)
        let input = 100 + generator.below(5000)
        let output = 10 + generator.below(1000)
        let text = """
            let peak-\(i) = \(peak)/day
            workload w-\(i) <
              model \(model)
              requests peak-\(i)
              input \(input) tokens; output \(output) tokens\(cache)
              retries \(generator.below(5))%
              tag team=t\(generator.below(10))
            >
            assert w-\(i) < $\(1 + generator.below(100))k/month, "budget \(i)"

            """
        return PlanWorkload(text: text, model: model, input: input, output: output, cachePercent: cachePercent)
    }
}
