package dev.stigmergy.db;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every SQL-language function of the schema inlines into the query that calls it (V62, V63). PostgreSQL runs a
 * function it cannot inline through its SQL-function executor on every call, which made deposits and lock releases
 * about twice and a third as dear (benchmarks P2, P1), and nothing else shows it: the answers are the same. It
 * refuses to inline a body more volatile than the function is declared, or a STRICT function whose body is not.
 */
@QuarkusTest
class SqlFunctionInliningTest {

    @Inject
    EntityManager em;

    @Test
    void everySqlFunctionOfTheSchemaInlines() {
        List<?> functions = em.createNativeQuery("""
                        select p.proname, (select string_agg(format('null::%s', format_type(a.t, null)) || ' as x' || a.n, ', ')
                                             from unnest(p.proargtypes) with ordinality a(t, n)),
                               (select string_agg('s.x' || n, ', ') from generate_series(1, p.pronargs) n)
                          from pg_proc p join pg_language l on l.oid = p.prolang
                         where p.pronamespace = 'public'::regnamespace and l.lanname = 'sql'
                         order by p.proname""").getResultList();
        // the query finds the schema's functions at all, those of today among them
        assertTrue(functions.stream().map(f -> ((Object[]) f)[0]).toList()
                .containsAll(List.of("iso_instant", "pheromone_bound_term", "pow2")));
        for (Object f : functions) {
            Object[] row = (Object[]) f;
            String name = (String) row[0];
            // arguments read from a subquery kept apart (offset 0), so the call is not folded into a constant
            String plan = String.join("\n", em.createNativeQuery("explain (verbose) select " + name + "(" + row[2]
                    + ") from (select " + row[1] + " offset 0) s").getResultList().stream().map(String::valueOf).toList());
            assertFalse(plan.contains(name + "("), name + " is not inlined:\n" + plan);
        }
    }
}
