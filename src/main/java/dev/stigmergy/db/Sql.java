package dev.stigmergy.db;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC for the hot paths, where Hibernate's native-query machinery (result-set mapping, metadata reads,
 * parameter binding) cost more CPU than the statement itself (benchmarks P1, P7). A statement runs on the
 * connection of the caller's JTA transaction when there is one (Agroal enlists one connection per transaction,
 * the one Hibernate uses too, so it sees and holds what the transaction did), else in autocommit.
 */
@ApplicationScoped
public class Sql {

    /**
     * A text parameter bound as text even when it is {@code null}. The driver binds a bare {@code null} untyped and
     * keeps one server-side prepared form per statement and parameter types: a statement run with and without nulls
     * in one place would be parsed and planned afresh at every switch (a heartbeat's two event appends, P12).
     */
    public record Text(String value) {
    }

    /** Reads one row of a result set. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final AgroalDataSource dataSource;

    public Sql(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Every row {@code sql} answers, in order; parameters are bound with {@code setObject} ({@code null} as SQL null,
     * an {@link Instant} as a {@code timestamptz}, which the driver does not take as it is).
     *
     * @throws IllegalStateException the statement failed, with PostgreSQL's message
     */
    public <T> List<T> rows(String sql, RowReader<T> reader, Object... parameters) {
        return rows(sql, false, reader, parameters);
    }

    /**
     * As {@link #rows}, planned afresh at every execution, for its parameters and the tables as they are now (the
     * driver's unnamed statement, {@code prepareThreshold} 0). A statement prepared on a pooled connection is
     * planned once for the connection's life: planned while a table was new and empty, its plan may read an
     * unsuitable index of the grown table, and no plan invalidation comes before the first ANALYZE.
     */
    public <T> List<T> rowsPlannedEachTime(String sql, RowReader<T> reader, Object... parameters) {
        return rows(sql, true, reader, parameters);
    }

    private <T> List<T> rows(String sql, boolean planEachTime, RowReader<T> reader, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            if (planEachTime) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof Text text) {
                    statement.setString(i + 1, text.value());
                } else {
                    statement.setObject(i + 1, parameters[i] instanceof Instant instant
                            ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : parameters[i]);
                }
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(reader.read(result));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + e.getMessage(), e);
        }
    }

    /** The first row {@code sql} answers, or {@code null} when it answers none; as {@link #rows}. */
    public <T> T oneRow(String sql, RowReader<T> reader, Object... parameters) {
        List<T> rows = rows(sql, reader, parameters);
        return rows.isEmpty() ? null : rows.get(0);
    }
}
