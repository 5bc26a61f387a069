public import Foundation
import PiaojueLedger
import Synchronization

/// A clock a test sets and moves forward: every entry time and every "today" of the services come
/// from it, so the same steps give the same ledger.
public final class TestClock: Sendable {
    private let instant: Mutex<Date>

    /// A clock standing at `time`: `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`.
    public init(_ time: String) throws {
        instant = Mutex(try Self.parse(time))
    }

    /// The instant the clock shows.
    public var now: Date { instant.withLock { $0 } }

    /// The clock's time in entry form (`YYYY-MM-DDTHH:MM:SSZ`).
    public var text: String { LedgerTime.format(now) }

    /// Moves the clock to `time` (same forms as ``init(_:)``).
    public func set(_ time: String) throws {
        let date = try Self.parse(time)
        instant.withLock { $0 = date }
    }

    /// Moves the clock forward.
    public func advance(days: Int = 0, seconds: Int = 0) {
        instant.withLock { $0 = $0.addingTimeInterval(TimeInterval(days * 86_400 + seconds)) }
    }

    /// The clock as the services take it.
    public var reading: @Sendable () -> Date { { self.now } }

    static func parse(_ time: String) throws -> Date {
        guard let date = LedgerTime.parse(time) ?? LedgerTime.parse(time + "T00:00:00Z") else {
            throw MissingValue(description: "a test time of the form YYYY-MM-DD[THH:MM:SSZ], not \(time)")
        }
        return date
    }
}
