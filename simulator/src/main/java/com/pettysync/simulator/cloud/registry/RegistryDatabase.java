package com.pettysync.simulator.cloud.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteErrorCode;

/**
 * The registry's one SQLite connection (WAL, {@code synchronous=NORMAL}, foreign keys on, 5 s busy timeout) and its
 * schema; every access is serialized on this object, every write is one transaction (committed whole or rolled
 * back whole). Package-private: {@link Registry} is the public face.
 */
final class RegistryDatabase implements AutoCloseable {
    /** A unit of work on the connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS thing_types (
          name TEXT PRIMARY KEY, id TEXT NOT NULL, description TEXT, searchable TEXT NOT NULL,
          created_ms INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS things (
          name TEXT PRIMARY KEY, id TEXT NOT NULL, type_name TEXT REFERENCES thing_types(name),
          attributes TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS things_by_type ON things(type_name)",
        """
        CREATE TABLE IF NOT EXISTS thing_groups (
          name TEXT PRIMARY KEY, id TEXT NOT NULL, parent TEXT REFERENCES thing_groups(name), description TEXT,
          attributes TEXT NOT NULL, version INTEGER NOT NULL, created_ms INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS thing_group_members (
          group_name TEXT NOT NULL REFERENCES thing_groups(name),
          thing_name TEXT NOT NULL REFERENCES things(name) ON DELETE CASCADE,
          PRIMARY KEY (group_name, thing_name))""",
        """
        CREATE TABLE IF NOT EXISTS certificates (
          id TEXT PRIMARY KEY, pem TEXT NOT NULL, status TEXT NOT NULL, ca_id TEXT, created_ms INTEGER NOT NULL,
          modified_ms INTEGER NOT NULL, not_before_ms INTEGER NOT NULL, not_after_ms INTEGER NOT NULL,
          customer_version INTEGER NOT NULL, generation INTEGER NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS certificates_by_creation ON certificates(created_ms, id)",
        """
        CREATE TABLE IF NOT EXISTS thing_principals (
          thing_name TEXT NOT NULL REFERENCES things(name), principal TEXT NOT NULL,
          PRIMARY KEY (thing_name, principal))""",
        "CREATE INDEX IF NOT EXISTS thing_principals_by_principal ON thing_principals(principal, thing_name)",
        """
        CREATE TABLE IF NOT EXISTS policies (
          name TEXT PRIMARY KEY, default_version INTEGER NOT NULL, last_version INTEGER NOT NULL,
          created_ms INTEGER NOT NULL, modified_ms INTEGER NOT NULL, generation INTEGER NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS policy_versions (
          policy_name TEXT NOT NULL REFERENCES policies(name), version INTEGER NOT NULL, document TEXT NOT NULL,
          created_ms INTEGER NOT NULL, PRIMARY KEY (policy_name, version))""",
        """
        CREATE TABLE IF NOT EXISTS policy_targets (
          policy_name TEXT NOT NULL REFERENCES policies(name), target TEXT NOT NULL,
          PRIMARY KEY (policy_name, target))""",
        "CREATE INDEX IF NOT EXISTS policy_targets_by_target ON policy_targets(target, policy_name)",
        """
        CREATE TABLE IF NOT EXISTS provisioning_templates (
          name TEXT PRIMARY KEY, description TEXT, body TEXT NOT NULL, enabled INTEGER NOT NULL,
          role_arn TEXT NOT NULL, type TEXT NOT NULL, created_ms INTEGER NOT NULL, modified_ms INTEGER NOT NULL)""",
    };

    private final Path file;
    private final Connection connection;

    private RegistryDatabase(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    static RegistryDatabase open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + absolute);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
                for (String ddl : SCHEMA) {
                    s.execute(ddl);
                }
            }
            return new RegistryDatabase(absolute, c);
        } catch (IOException | SQLException e) {
            throw new RegistryException(RegistryException.Reason.UNAVAILABLE,
                    "cannot open the registry " + absolute + ": " + e.getMessage(), null, null, e);
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    synchronized <T> T write(Work<T> work) {
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs {@code work} outside a transaction (each statement sees the last committed state). */
    synchronized <T> T read(Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private RegistryException unavailable(SQLException e) {
        boolean busy = e.getErrorCode() == SQLiteErrorCode.SQLITE_BUSY.code;
        return new RegistryException(RegistryException.Reason.UNAVAILABLE, "the registry " + file + " failed"
                + (busy ? " (busy: another process holds the write lock)" : "") + ": " + e.getMessage(), null, null,
                e);
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }
}
