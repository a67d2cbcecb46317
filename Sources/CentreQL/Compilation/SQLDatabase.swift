/// A database that runs the compiler's SQL: SQLite and PostgreSQL, each in its own module (they link
/// their own C libraries), behind the one interface the command and the tests use.
public protocol SQLDatabase: AnyObject {
    /// The dialect its queries are compiled to.
    var dialect: SQLDialect { get }
    /// Creates the tables and indexes `SQLSchema` describes and copies every row of the store.
    func load(_ store: Store) throws
    /// Runs a query compiled for `dialect` with its parameters' values: the rows as the in-memory
    /// engine gives them. Only queries run: the backends refuse anything that writes.
    func run(_ query: CompiledQuery, parameters: [String: Value]) throws -> ResultSet
}
