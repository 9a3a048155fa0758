public import Foundation
public import Postgres
public import Scaling

/// The `scale_readings` table: each run's reading, the recent history a scale-in needs,
/// and when a broker restart was last seen.
public struct ScaleReadingStore {
    public var connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// The database's clock, so readings of different hosts compare.
    public func now() throws -> Date {
        try connection.query("SELECT now()")[0].decode(Date.self)
    }

    /// Mean duration of successful attempts of `queue`'s jobs in the last hour, when at
    /// least 3 were measured.
    public func meanJobSeconds(queue: String) throws -> (seconds: Double, samples: Int)? {
        let row = try connection.query("""
            SELECT count(*), avg(extract(epoch FROM a.finished_at - a.started_at))::float8
            FROM job_attempts a JOIN jobs j ON j.id = a.job_id
            WHERE j.queue = \(queue) AND a.outcome = 'succeeded' AND a.finished_at > now() - interval '1 hour'
            """)[0]
        let (samples, mean) = try row.decode((Int, Double?).self)
        guard samples >= 3, let mean else { return nil }
        return (Swift.max(mean, 0.001), samples)
    }

    public func history(queue: String, within seconds: Double) throws -> [ScaleReading] {
        try connection.query("""
            SELECT taken_at, ready, in_flight, job_seconds, needed FROM scale_readings
            WHERE queue = \(queue) AND taken_at > now() - make_interval(secs => \(seconds))
            ORDER BY taken_at DESC LIMIT 100
            """).map { row in
            let (takenAt, ready, inFlight, jobSeconds, needed) = try row.decode((Date, Int, Int, Double, Int).self)
            return ScaleReading(takenAt: takenAt, ready: ready, inFlight: inFlight, jobSeconds: jobSeconds, needed: needed)
        }
    }

    /// Whether an earlier run placed the restart marker: every run puts it in place before it
    /// records its reading, so any reading means the marker was made (on this fleet's broker).
    /// Readings are kept a week; a plan idle for longer than that cannot see a restart anyway.
    public func markerWasPlaced() throws -> Bool {
        try connection.query("SELECT EXISTS (SELECT 1 FROM scale_readings)")[0].decode(Bool.self)
    }

    public func lastBrokerRestart() throws -> Date? {
        try connection.query("SELECT max(taken_at) AS last FROM scale_readings WHERE broker_restarted")[0].decode(Date?.self, column: "last")
    }

    /// Records the reading, and forgets readings older than a week.
    public func record(_ reading: ScaleReading, queue: String, consumers: Int, instances: Int, desired: Int, brokerRestarted: Bool) throws {
        try connection.execute("""
            INSERT INTO scale_readings (queue, taken_at, ready, in_flight, consumers, instances, job_seconds, needed, desired, broker_restarted)
            VALUES (\(queue), \(reading.takenAt), \(reading.ready), \(reading.inFlight), \(consumers), \(instances), \(reading.jobSeconds),
                    \(reading.needed), \(desired), \(brokerRestarted))
            """)
        try connection.execute("DELETE FROM scale_readings WHERE taken_at < now() - interval '7 days'")
    }
}
