package dev.stigmergy.pheromone;

/**
 * SQL fragments of sensing, for another capability's read that needs pheromones inside one statement (the ready
 * query, entity dependencies). They reuse the one decay expression ({@link PheromoneRepository#CURRENT}) and the
 * one visibility predicate ({@link PheromoneRepository#VISIBLE}): no second decay formula exists. Every fragment
 * reads the named parameter {@code :now} (the operation's instant) and takes the SQL expression of an entity id
 * as its argument; the type test is a fragment of SQL over the pheromone alias {@code p}, built with
 * {@link #typeIs} or {@link #familyIs} (both bind no parameter: names are checked against the registry's
 * grammar before they get here).
 */
public final class PheromoneSql {

    private PheromoneSql() {
    }

    /** The test that a pheromone {@code p} has the exact type {@code name} (lower_snake, or {@code family.name}). */
    public static String typeIs(String name) {
        return "p.type = '" + checked(name) + "'";
    }

    /**
     * The test that a pheromone {@code p} belongs to {@code family} ({@code completion} for {@code completion.*}): its
     * type is one of the family's registered types, read once per statement (an init plan), so the test stays an
     * index probe on (entity, type) per row; a {@code like} on the type made PostgreSQL scan every row of the family
     * for a correlated test (ready benchmark).
     */
    public static String familyIs(String family) {
        return "p.type = any(array(select st.name from signal_type st where st.name like '" + checked(family) + ".%'))";
    }

    /**
     * Summed current intensity at {@code :now} of the visible pheromones on the entity that pass {@code typeTest}:
     * a double, 0 when none is visible (DESIGN.md §2: sensing aggregates per (entity, type)).
     */
    public static String currentTotal(String entityId, String typeTest) {
        return "(select coalesce(sum(" + PheromoneRepository.CURRENT + "), 0)"
                + " from pheromone p join signal_type t on t.name = p.type"
                + " where p.entity_id = " + entityId + " and " + typeTest + " and " + PheromoneRepository.VISIBLE + ")";
    }

    /**
     * Whether some pheromone that passes {@code typeTest} is visible on the entity at {@code :now}. Evaluated per
     * entity as an index probe ({@link #PER_ROW}).
     */
    public static String anyVisible(String entityId, String typeTest) {
        return "exists (select 1 from pheromone p where p.entity_id = " + entityId + " and " + typeTest
                + " and " + PheromoneRepository.VISIBLE + PER_ROW + ")";
    }

    /**
     * Ends an {@code EXISTS} subquery that must stay a per-row probe: PostgreSQL neither hashes nor pulls up an
     * {@code EXISTS} with an {@code OFFSET}, which it otherwise did for the ready query, reading every completion
     * signal and link of the database to judge 20 candidates (the ready benchmark, bench/ready).
     */
    public static final String PER_ROW = " offset 0";

    private static String checked(String name) {
        if (!name.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?")) {
            throw new IllegalArgumentException("not a signal type name: " + name);
        }
        return name;
    }
}
