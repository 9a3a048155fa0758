public import Logging

extension Logger.MetadataValue {
    /// An error as logs carry it: its debug description, which says the cause where the
    /// plain description is kept generic (`AMQPError` gives the broker's reply code and text
    /// there, `PostgresError` its SQLSTATE and fields) or is only a case name.
    public static func error(_ error: any Error) -> Self {
        .string(String(reflecting: error))
    }
}
