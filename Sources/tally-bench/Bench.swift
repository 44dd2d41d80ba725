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
            plan(workloads: arguments.dropFirst().first.flatMap(Int.init) ?? 20_000, path: arguments.dropFirst(2).first ?? "plan.tally",
                 revised: arguments.dropFirst(3).first == "revised")
        default:
            FileHandle.standardError.write(Data("usage: tally-bench engine [COUNT [REQUESTS.json]] | check FILE | prompt FILE [TIMES [INPUT]] | generate MB FILE | plan WORKLOADS FILE [revised]\n".utf8))
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
            if requestsFile != nil, let id = model.id {
                let ref = model.pricesByEndpoint ? "global." + id : id
                json.append("{\"ref\":\"\(ref)\",\"input\":\(input),\"output\":\(output),\"cache_read\":\(read),\"cache_write\":\(write)}")
            }
        }
        if let requestsFile {
            try? ("[" + json.joined(separator: ",") + "]").write(toFile: requestsFile, atomically: true, encoding: .utf8)
        }
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
            out += workload(i, &generator)
            i += 1
        }
        try? out.write(toFile: path, atomically: true, encoding: .utf8)
        print("generate.bytes \(out.utf8.count)")
        print("generate.workloads \(i)")
    }

    /// A plan of `workloads` workloads (about 200 bytes each). Its revision,
    /// for `tally diff`: every tenth workload makes more requests, every
    /// fiftieth is gone, and one in fifty is new.
    static func plan(workloads: Int, path: String, revised: Bool) {
        var generator = Generator(seed: 11)
        var out = "# A generated plan for Tally's benchmarks.\nregion us-east-1\n"
        for i in 0..<workloads {
            var block = workload(i, &generator)
            guard !(revised && i % 50 == 7) else { continue }
            if revised && i % 10 == 3 { block = block.replacingOccurrences(of: "/day\n", with: "0/day\n") }
            out += block
        }
        if revised {
            for i in 0..<workloads / 50 { out += workload(workloads + i, &generator) }
        }
        try? out.write(toFile: path, atomically: true, encoding: .utf8)
        print("plan.bytes \(out.utf8.count)")
    }

    static func workload(_ i: Int, _ generator: inout Generator) -> String {
        let models = ["nova-micro", "nova-lite", "nova-pro", "haiku-4.5", "sonnet-4.5", "opus-4.5", "llama-3.3-70b"]
        let model = models[generator.below(models.count)]
        let cache = model.hasPrefix("llama") ? "" : "; cache \(generator.below(80))%"
        return """
            let peak-\(i) = \(1 + generator.below(9000))/day
            workload w-\(i) <
              model \(model)
              requests peak-\(i)
              input \(100 + generator.below(5000)) tokens; output \(10 + generator.below(1000)) tokens\(cache)
              retries \(generator.below(5))%
              tag team=t\(generator.below(10))
            >
            assert w-\(i) < $\(1 + generator.below(100))k/month, "budget \(i)"

            """
    }
}
