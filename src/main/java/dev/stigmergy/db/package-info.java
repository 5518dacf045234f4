/**
 * The database: its modes (an external PostgreSQL named by {@code QUARKUS_DATASOURCE_JDBC_URL}, or an embedded one
 * started before Quarkus from Maven-shipped binaries) and plain-JDBC access for hot paths ({@link dev.stigmergy.db.Sql}).
 * Uses nothing else of the service.
 */
package dev.stigmergy.db;
