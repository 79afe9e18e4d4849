import Foundation
import M365
import Pull
import Testing
import WebTransport

@Suite struct EndpointPolicyTests {
    @Test func httpsAnywhereAndPlainHTTPOnLoopbackOnly() throws {
        try EndpointPolicy.check("https://manage.office365.us")
        try EndpointPolicy.check("http://127.0.0.1:8080/api")
        try EndpointPolicy.check("http://[::1]:9/")
        try EndpointPolicy.check("http://localhost:1")
        #expect(throws: EndpointPolicy.Refused.self) { try EndpointPolicy.check("http://manage.office.com") }
        #expect(throws: EndpointPolicy.Refused.self) { try EndpointPolicy.check("http://127.0.0.1.evil.example") }
        #expect(throws: EndpointPolicy.Refused.self) { try EndpointPolicy.check("ftp://127.0.0.1") }
        #expect(throws: EndpointPolicy.Refused.self) { try EndpointPolicy.check("https://user:pw@manage.office.com") }
        do {
            try EndpointPolicy.check("http://manage.office.com")
        } catch {
            #expect(
                error.description
                    == "http://manage.office.com: plain http is accepted for loopback addresses only; use https")
        }
    }

    @Test func linksAreFollowedOnTheServicesOwnHostOnly() throws {
        try EndpointPolicy.checkLink(
            "https://manage.office.com/api/v1.0/t/activity/feed/audit/1", sameOriginAs: "https://manage.office.com")
        #expect(throws: EndpointPolicy.Refused.self) {
            try EndpointPolicy.checkLink("https://collector.example/steal", sameOriginAs: "https://manage.office.com")
        }
        #expect(throws: EndpointPolicy.Refused.self) {
            try EndpointPolicy.checkLink("http://127.0.0.1:2/x", sameOriginAs: "http://127.0.0.1:1")
        }
    }
}

@Suite struct RetryPolicyTests {
    @Test func retryAfterIsHonouredAsSecondsOrDateAndCapped() {
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 8, maxRetryAfter: 120)
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(
            policy.delay(
                after: HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "7")]), attempt: 1, now: now) == 7)
        #expect(
            policy.delay(
                after: HTTPResponse(status: 429, headers: [HTTPHeader("retry-after", "9000")]), attempt: 1, now: now)
                == 120)
        let date = HTTPHeader("Retry-After", "Sun, 31 May 2026 20:27:00 GMT")
        #expect(
            policy.delay(
                after: HTTPResponse(status: 503, headers: [date]), attempt: 1,
                now: Date(timeIntervalSince1970: 1_780_259_200)) == 20)
        #expect(policy.delay(after: HTTPResponse(status: 429), attempt: 3, now: now) == nil)
        #expect(policy.delay(after: HTTPResponse(status: 400), attempt: 1, now: now) == nil)
        #expect(policy.delay(after: HTTPResponse(status: 403), attempt: 1, now: now) == nil)
    }

    @Test func backoffGrowsWithJitterAndStopsAtTheCap() throws {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 8)
        for attempt in 1...9 {
            let ceiling = min(8, pow(2, Double(attempt - 1)))
            let wait = try #require(policy.delay(after: HTTPResponse(status: 502), attempt: attempt))
            #expect(wait >= ceiling / 2 && wait <= ceiling)
        }
        #expect(policy.delay(after: TransportError(.timedOut, url: "u", detail: "d"), attempt: 1) != nil)
        #expect(policy.delay(after: TransportError(.tls, url: "u", detail: "d"), attempt: 1) == nil)
    }
}

@Suite struct PullWindowsTests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func resumesAnHourBeforeTheCheckpointInWindowsOfAtMostADay() {
        let checkpoint = now.addingTimeInterval(-50 * 3600)
        let plan = PullWindows(since: nil, until: nil, listedUntil: checkpoint, now: now)
        #expect(plan.unreachableFrom == nil)
        #expect(plan.windows.first?.start == checkpoint.addingTimeInterval(-3600))
        #expect(plan.windows.last?.end == now)
        #expect(plan.windows.count == 3)
        #expect(plan.windows.allSatisfy { $0.duration <= 86400 })
        #expect(zip(plan.windows, plan.windows.dropFirst()).allSatisfy { $0.end == $1.start })
    }

    @Test func aStartPastTheSevenDayReachIsMovedAndReported() throws {
        let asked = now.addingTimeInterval(-10 * 86400)
        let plan = PullWindows(since: asked, until: nil, listedUntil: nil, now: now)
        #expect(plan.unreachableFrom == asked)
        let first = try #require(plan.windows.first)
        #expect(first.start == now.addingTimeInterval(-7 * 86400 + 600))
        #expect(plan.windows.count == 7)
    }

    @Test func nothingToListWhenUntilIsBeforeTheStart() {
        let plan = PullWindows(
            since: now.addingTimeInterval(-3600), until: now.addingTimeInterval(-7200), listedUntil: nil, now: now)
        #expect(plan.windows.isEmpty)
    }
}
