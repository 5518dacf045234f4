package dev.stigmergy.db;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The hot paths mix Hibernate and {@link Sql} in one transaction (a lock row read through Hibernate, then granted
 * in plain SQL): both must run on the same connection, or a statement would see neither the other's writes nor
 * its row locks, and would commit apart from it.
 */
@QuarkusTest
class SqlTest {

    private static final class Undo extends RuntimeException {
    }

    @Inject
    Sql sql;

    @Inject
    EntityManager em;

    @Test
    void insideATransactionStatementsShareItsConnectionAndItsFate() {
        String name = "sql-" + UUID.randomUUID();
        assertThrows(Undo.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            int backend = ((Number) em.createNativeQuery("select pg_backend_pid()").getSingleResult()).intValue();
            assertEquals(Integer.valueOf(backend), sql.<Integer>oneRow("select pg_backend_pid()", row -> row.getInt(1)));
            em.createNativeQuery("insert into environment (name, created_at, created_by) values (:name, now(), 'test')")
                    .setParameter("name", name).executeUpdate();
            assertEquals(name, sql.oneRow("select name from environment where name = ?", row -> row.getString(1), name));
            sql.rows("update environment set name = name where name = ? returning name", row -> row.getString(1), name);
            throw new Undo();
        }));
        assertNull(sql.oneRow("select name from environment where name = ?", row -> row.getString(1), name),
                "rolled back with the transaction");
    }

    @Test
    void anInstantParameterIsBoundAsATimestamp() {
        Instant at = Instant.parse("2026-12-01T18:12:16.123456Z");
        assertEquals(at, sql.oneRow("select cast(? as timestamptz)", row -> row.getObject(1, OffsetDateTime.class).toInstant(), at));
        assertNull(sql.oneRow("select cast(? as timestamptz)", row -> row.getObject(1, OffsetDateTime.class), (Object) null));
    }

    @Test
    void outsideATransactionAStatementCommitsAtOnce() {
        String name = "sql-" + UUID.randomUUID();
        sql.rows("insert into environment (name, created_at, created_by) values (?, now(), 'test') returning name",
                row -> row.getString(1), name);
        long seen = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from environment where name = :name").setParameter("name", name).getSingleResult()).longValue());
        assertEquals(1, seen);
    }
}
