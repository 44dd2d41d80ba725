import TallyQuantities

/// Amazon Bedrock AgentCore: sessions on Runtime, Browser or Code Interpreter
/// billed per vCPU-hour while the CPU is busy and per GB-hour for the whole
/// session, and the per-call, per-record and per-token meters of Gateway,
/// Memory, Identity, Policy and Evaluations.
extension Pricer {
    static let sessionProperties = ["session", "vcpu", "memory", "active", "compute"]

    mutating func agentCore() throws(PricingError) -> Breakdown {
        guard let service = workload.agentCoreService else { throw fail(.missingService(.agentCore)) }
        let placement = try place(service)
        if let sessions = workload.sessionsPerSecond {
            try sessionLines(service, placement, sessionsPerSecond: sessions)
        } else if Pricer.sessionProperties.contains(where: workload.gave) {
            throw PricingError(workload.name, .computeNeedsSessions, at: Pricer.sessionProperties)
        }
        try meter(service, placement, workload.invocationsPerSecond, "gateway invocations", "invocations", .invocation, property: "invocations")
        try meter(service, placement, workload.searchesPerSecond, "gateway search", "searches", .search, property: "searches")
        if let tools = workload.toolsIndexed {
            let r = try rate(service, .toolIndex, placement, property: "tools")
            try add("gateway tool index", tools, "tool-months", rate: r, scale: Engine.secondsPerMonth)
        }
        try meter(service, placement, workload.eventsPerSecond, "memory events (short-term)", "events", .event, property: "events")
        if let records = workload.longTermRecords {
            let selfManaged = workload.selfManagedStrategy
            let r = try rate(service, selfManaged ? .recordSelfManaged : .record, placement, property: "records")
            try add("memory records (long-term, \(selfManaged ? "self-managed" : "built-in"))", records, "record-months", rate: r,
                    scale: Engine.secondsPerMonth)
        }
        try meter(service, placement, workload.retrievalsPerSecond, "memory retrievals", "retrievals", .retrieval, property: "retrievals")
        try meter(service, placement, workload.identityPerSecond, "identity", "requests", .identity, property: "identity")
        try meter(service, placement, workload.authorizationsPerSecond, "policy", "authorizations", .authorization, property: "authorizations")
        try meter(service, placement, workload.evaluationTokensPerSecond, "evaluations (built-in, input)", "tokens", .evaluationInput,
                  property: "evaluations")
        try meter(service, placement, workload.evaluationOutputTokensPerSecond, "evaluations (built-in, output)", "tokens", .evaluationOutput,
                  property: "evaluation-output")
        try meter(service, placement, workload.customEvaluationsPerSecond, "evaluations (custom)", "evaluations", .customEvaluation,
                  property: "custom-evaluations")
        guard !lines.isEmpty else { throw fail(.agentCoreMetersNothing) }
        return try finish(service, placement, mode: "agentcore")
    }

    /// CPU is billed only while busy (`active`); memory for the whole session.
    private mutating func sessionLines(_ service: ModelPrice, _ placement: Placement, sessionsPerSecond: Rational) throws(PricingError) {
        guard let seconds = workload.sessionSeconds else { throw fail(.sessionsNeed("session"), at: "sessions") }
        guard let vcpus = workload.vcpus else { throw fail(.sessionsNeed("vcpu"), at: "sessions") }
        guard let memory = workload.sessionMemory else { throw fail(.sessionsNeed("memory"), at: "sessions") }
        let active: Rational
        if let given = workload.activeShare {
            active = given
        } else {
            active = .one
            assumptions.append(.cpuAlwaysActive)
        }
        let compute = workload.agentCompute ?? "runtime"
        let sessions = try perMonth(sessionsPerSecond)
        summary.append(.sessionsPerMonth(sessions, seconds: seconds, active: active))
        guard let sessionHours = seconds.divided(by: Rational(3600)) else { throw overflow }
        let hours = try product(sessions, sessionHours)
        let cpu = try rate(service, .vcpuHour, placement, property: "vcpu")
        try add("\(compute) CPU (active)", try product(hours, active, vcpus), "vCPU-hours", rate: cpu, scale: Rational(3600))
        let gb = try rate(service, .gbHour, placement, property: "memory")
        try add("\(compute) memory", try product(hours, memory), "GB-hours", rate: gb, scale: Rational(3600))
    }

    private mutating func meter(_ service: ModelPrice, _ placement: Placement, _ perSecond: Rational?, _ label: String, _ unit: String,
                                _ kind: RateKind, property: String) throws(PricingError) {
        guard let perSecond else { return }
        let r = try rate(service, kind, placement, property: property)
        try add(label, try perMonth(perSecond), unit, rate: r)
    }
}
