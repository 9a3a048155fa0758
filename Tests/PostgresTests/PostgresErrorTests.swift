import Postgres
import Testing

@Suite struct PostgresErrorTests {
    @Test func descriptionIsGenericAndDebugDescriptionHasDetails() {
        let error = PostgresError(
            code: .server, sqlState: "23505", serverMessage: "duplicate key value violates unique constraint",
            detail: "Key (email)=(alice@example.com) already exists.", constraint: "users_email_key")
        #expect(error.description == "database error (SQLSTATE 23505)")
        #expect(!error.description.contains("alice"))
        #expect(error.debugDescription.contains("alice@example.com"))
        #expect(error.debugDescription.contains("users_email_key"))
    }

    @Test(arguments: [("40001", true), ("40P01", true), ("23505", false), ("55P03", false)])
    func retryableTransactionFailures(sqlState: String, retryable: Bool) {
        #expect(PostgresError(code: .server, sqlState: sqlState).isRetryableTransactionFailure == retryable)
    }

    @Test func connectionFailuresAreClassified() {
        #expect(PostgresError(code: .connectionLost).isConnectionFailure)
        #expect(PostgresError(code: .server, sqlState: "08006").isConnectionFailure)
        #expect(PostgresError(code: .server, sqlState: "57P01").isConnectionFailure)
        #expect(!PostgresError(code: .server, sqlState: "23505").isConnectionFailure)
        #expect(PostgresError(code: .server, sqlState: "55P03").isRetriable)
        #expect(!PostgresError(code: .server, sqlState: "23505").isRetriable)
    }
}
