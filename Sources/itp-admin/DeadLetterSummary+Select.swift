import Operations
import Postgres

extension DeadLetterSummary {
    static func select(_ filter: DeadLetterFilter, limit: Int? = nil, on connection: PostgresConnection) throws -> [DeadLetterSummary] {
        let limitClause: SQL = limit.map { (count: Int) -> SQL in "LIMIT \(count)" } ?? ""
        return try connection.query("""
            SELECT \(columns) FROM dead_letters d LEFT JOIN jobs j ON j.id = d.job_id
            WHERE \(filter.conditions)
            ORDER BY d.id \(limitClause)
            """).map(DeadLetterSummary.init)
    }
}
